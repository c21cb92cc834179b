package org.medsync.watermark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The rules of docs/architecture.md ("Modules and packages") for the watermark module. */
@AnalyzeClasses(packages = "org.medsync.watermark", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /** Usable alone: the JDK only; FFmpeg is whatever program the caller hands the video package. */
    @ArchTest
    void usesOnlyTheJdk(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "org.medsync.watermark..")
                .check(classes);
    }

    /** The core (payload, code, mark) works on planes of bytes and never starts a process. */
    @ArchTest
    void coreStartsNoProcess(JavaClasses classes) {
        classes()
                .that()
                .resideInAnyPackage(
                        "org.medsync.watermark.payload..",
                        "org.medsync.watermark.code..",
                        "org.medsync.watermark.mark..")
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackage("org.medsync.watermark.video..")
                .andShould()
                .onlyDependOnClassesThat()
                .doNotHaveFullyQualifiedName("java.lang.ProcessBuilder")
                .check(classes);
    }
}
