package org.medsync.gateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the or-gateway module. */
@AnalyzeClasses(packages = "org.medsync.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /** flow > h264 > video: the picture conversion knows no codec, the codec no receiver. */
    @ArchTest
    void lowerPackagesDoNotUseHigherOnes(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage("org.medsync.gateway.video..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.medsync.gateway.h264..", "org.medsync.gateway.flow..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("org.medsync.gateway.h264..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.medsync.gateway.flow..", "org.medsync.rtv.receiver..")
                .check(classes);
    }

    /** Module dependencies point one way: the gateway sits on rtv and what rtv sits on, never on the server. */
    @ArchTest
    void usesOnlyTheModulesBelow(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("org.medsync..")
                        .or(resideInAnyPackage(
                                "org.medsync.gateway..",
                                "org.medsync.rtv..",
                                "org.medsync.st2110..",
                                "org.medsync.sdp..",
                                "org.medsync.rtp..")))
                .check(classes);
    }

    /** FFmpeg natives are touched by the encoder alone (a native crash would take the JVM). */
    @ArchTest
    void onlyTheEncoderTouchesFfmpeg(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.medsync.gateway.h264..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.bytedeco..")
                .check(classes);
    }

    /** Each third-party library stays with the module it belongs to (ModuleRules names them). */
    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("or-gateway").check(classes);
    }
}
