package org.medsync.dicom;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the dicom module. */
@AnalyzeClasses(packages = "org.medsync.dicom", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    void usesNoOtherMedSyncModule(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat(
                        resideOutsideOfPackage("org.medsync..").or(resideInAPackage("org.medsync.dicom..")))
                .check(classes);
    }

    /** Each third-party library stays with the module it belongs to (ModuleRules names them). */
    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("dicom").check(classes);
    }
}
