package org.medsync.relay;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the readout-relay module. */
@AnalyzeClasses(packages = "org.medsync.relay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** One package, so its classes form the stack: each with its nested types is one slice. */
    @ArchTest
    void classesFormOneWayStack(JavaClasses classes) {
        slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass c) {
                        return SliceIdentifier.of(c.getName().replaceFirst("\\$.*", ""));
                    }

                    @Override
                    public String getDescription() {
                        return "top-level classes";
                    }
                })
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    /** Module dependencies point one way: the relay knows conference's protocol and its DataRelay, nothing above. */
    @ArchTest
    void usesOnlyConference(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("org.medsync..")
                        .or(resideInAnyPackage("org.medsync.relay..", "org.medsync.conference..")))
                .check(classes);
    }

    /** Each third-party library stays with the module it belongs to (ModuleRules names them). */
    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("readout-relay").check(classes);
    }
}
