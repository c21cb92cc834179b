package org.medsync.rtv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The rules of docs/architecture.md ("Modules and packages") for the rtv module, a DICOM-RTV library. */
@AnalyzeClasses(packages = "org.medsync.rtv", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /** Usable alone: the JDK and the DICOM-RTV libraries below it, no MedSync server code, no web framework. */
    @ArchTest
    void usesOnlyTheJdkAndLowerProtocolLibraries(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "javax..",
                        "com.sun.net.httpserver..",
                        "org.medsync.rtv..",
                        "org.medsync.st2110..",
                        "org.medsync.sdp..",
                        "org.medsync.rtp..",
                        "org.medsync.ptp.clock..",
                        "org.medsync.ptp.management..")
                .check(classes);
    }
}
