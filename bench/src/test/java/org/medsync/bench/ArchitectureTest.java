package org.medsync.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The rules of docs/architecture.md ("Modules and packages") for the bench module. */
@AnalyzeClasses(packages = "org.medsync.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * Each third-party library stays with the module it belongs to: the web framework with server (Redis only in its
     * cluster package), PixelMed with dicom, webrtc-java with readout-relay.
     */
    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.javalin..", "org.eclipse.jetty..", "com.pixelmed..", "dev.onvoid..", "redis.clients..")
                .check(classes);
    }
}
