package org.medsync.archive;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the archive module. */
@AnalyzeClasses(packages = "org.medsync.archive", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The archive uses the study library, dicom and the watermark below it, never the server above. */
    @ArchTest
    void usesOnlyTheModulesBelow(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("org.medsync..")
                        .or(resideInAnyPackage(
                                "org.medsync.archive..",
                                "org.medsync.library..",
                                "org.medsync.dicom..",
                                "org.medsync.watermark..")))
                .check(classes);
    }

    /** Each third-party library stays with the module it belongs to (ModuleRules names them). */
    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("archive").check(classes);
    }
}
