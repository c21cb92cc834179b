package org.medsync.bench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the bench module. */
@AnalyzeClasses(packages = "org.medsync.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /** Each third-party library stays with the module it belongs to (ModuleRules names them). */
    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("bench").check(classes);
    }
}
