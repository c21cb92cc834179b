package org.medsync.ptp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The rules of docs/architecture.md for the ptp module: a protocol library usable alone. */
@AnalyzeClasses(packages = "org.medsync.ptp", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.ptp.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The codec knows nothing of transports or monitors. */
    @ArchTest
    void codecStandsAlone(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage("org.medsync.ptp.management..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.medsync.ptp.management..")
                .check(classes);
    }

    /** JDK only, and no FFM: this module compiles for release 21 when fuzzed. */
    @ArchTest
    void usesOnlyTheJdkWithoutForeignMemory(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.medsync.ptp..")
                .check(classes);
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackage("java.lang.foreign..")
                .check(classes);
    }
}
