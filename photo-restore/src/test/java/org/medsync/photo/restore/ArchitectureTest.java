package org.medsync.photo.restore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the photo-restore module. */
@AnalyzeClasses(packages = "org.medsync.photo.restore", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.photo.restore.(**)")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    /** The simulator, the measures, the lesion model and the ONNX writer are plain Java: reproducible anywhere, no native library in the loop. */
    @ArchTest
    void simulatorAndMeasuresArePlainJava(JavaClasses classes) {
        classes()
                .that()
                .resideInAnyPackage(
                        "org.medsync.photo.restore.simulate..",
                        "org.medsync.photo.restore.measure..",
                        "org.medsync.photo.restore.lesion..",
                        "org.medsync.photo.restore.onnx..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "javax.imageio..",
                        "org.medsync.photo.image..",
                        "org.medsync.photo.restore.simulate..",
                        "org.medsync.photo.restore.measure..",
                        "org.medsync.photo.restore.lesion..",
                        "org.medsync.photo.restore.onnx..")
                .check(classes);
    }

    /** DJL and ONNX Runtime stay in the networks' packages (restorer, reader, and how both open their ONNX models); OpenCV in the classical one. */
    @ArchTest
    void mlLibrariesOnlyInTheNetworks(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "org.medsync.photo.restore.dncnn..",
                        "org.medsync.photo.restore.read..",
                        "org.medsync.photo.restore.inference..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", "ai.onnxruntime..")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackage("org.medsync.photo.restore.classical..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.bytedeco..")
                .check(classes);
    }

    /** Only the training sources read DICOM (through medsync-dicom, never PixelMed directly). */
    @ArchTest
    void onlySourcesReadDicom(JavaClasses classes) {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.medsync.photo.restore.source..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.medsync.dicom..")
                .check(classes);
    }

    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("photo-restore").check(classes);
    }
}
