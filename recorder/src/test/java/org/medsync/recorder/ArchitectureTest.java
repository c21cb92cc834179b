package org.medsync.recorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md for the recorder module: usable alone on a recorder, JDK and tus client only. */
@AnalyzeClasses(packages = "org.medsync.recorder", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    void usesOnlyTheJdkAndTheTusClient(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.tus.java.client..", "org.medsync.recorder..")
                .check(classes);
    }

    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("recorder").check(classes);
    }
}
