package org.medsync.photo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import org.medsync.testsupport.architecture.ModuleRules;

/** The rules of docs/architecture.md ("Modules and packages") for the photo module. */
@AnalyzeClasses(packages = "org.medsync.photo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.photo.(**)").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    void usesNoLibraryOfAnotherModule(JavaClasses classes) {
        ModuleRules.usesNoLibraryOfAnotherModule("photo").check(classes);
    }

    /** Decoding is the first reader of outside bytes: it sees none of the vision packages above it. */
    @ArchTest
    void decodeDependsOnlyOnTheImageSeam(JavaClasses classes) {
        noClasses()
                .that()
                .resideInAPackage("org.medsync.photo.decode..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.medsync.photo.cv..",
                        "org.medsync.photo.rectify..",
                        "org.medsync.photo.quality..",
                        "org.medsync.photo.fiducial..")
                .check(classes);
    }

    /** The seam other modules build on is plain Java: no OpenCV type crosses it. */
    @ArchTest
    void imageSeamIsPlainJava(JavaClasses classes) {
        classes()
                .that()
                .resideInAPackage("org.medsync.photo.image..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.medsync.photo.image..")
                .check(classes);
    }
}
