package org.medsync.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the server module. */
@AnalyzeClasses(packages = "org.medsync.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * Javalin where HTTP is served (auth's roles are Javalin route roles; archive binds the archive's routes); Jetty
     * only where the server is built.
     */
    @ArchTest
    void javalinOnlyWhereHttpIsServed(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "org.medsync.server.http",
                        "org.medsync.server.archive",
                        "org.medsync.server.api",
                        "org.medsync.server.readout",
                        "org.medsync.server.auth",
                        "org.medsync.server.archive",
                        "org.medsync.server.or",
                        "org.medsync.server.photo")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javalin..")
                .check(classes);
    }

    @ArchTest
    void jettyOnlyInHttp(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.medsync.server.http")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.eclipse.jetty..")
                .check(classes);
    }

    @ArchTest
    void redisOnlyInCluster(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.medsync.server.cluster")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("redis.clients..")
                .check(classes);
    }

    /** The relay's natives stay behind readout-relay, PixelMed behind dicom (ModuleRules names them). */
    @ArchTest
    void knowsNeitherWebRtcNorPixelMed(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("server").check(classes);
    }
}
