package org.medsync.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rules of docs/architecture.md that hold for several modules, written once so that a library given to a module
 * is named in one place, not in every module's ArchitectureTest.
 */
public final class ModuleRules {
    /**
     * Each third-party library stays with the module it belongs to: the web framework and Redis with server,
     * PixelMed with dicom, webrtc-java with readout-relay, the S3 client with archive, the tus client with
     * recorder.
     */
    private static final Map<String, List<String>> LIBRARIES_BY_MODULE = Map.of(
            "server", List.of("io.javalin..", "org.eclipse.jetty..", "redis.clients.."),
            "dicom", List.of("com.pixelmed.."),
            "readout-relay", List.of("dev.onvoid.."),
            "archive", List.of("software.amazon.awssdk.."),
            "recorder", List.of("io.tus.."));

    /**
     * Libraries two modules share: OpenCV with photo (decoding, rectification, fiducials) and photo-restore (its
     * classical baseline); everything else sees photo intake's pictures as plain-Java GrayImage.
     */
    private static final Map<List<String>, Set<String>> SHARED_LIBRARIES =
            Map.of(List.of("org.bytedeco.opencv..", "org.opencv.."), Set.of("photo", "photo-restore"));

    private ModuleRules() {}

    /** No class of {@code module} uses a third-party library that belongs to another module. */
    public static ArchRule usesNoLibraryOfAnotherModule(String module) {
        String[] others = Stream.concat(
                        LIBRARIES_BY_MODULE.entrySet().stream()
                                .filter(e -> !e.getKey().equals(module))
                                .flatMap(e -> e.getValue().stream()),
                        SHARED_LIBRARIES.entrySet().stream()
                                .filter(e -> !e.getValue().contains(module))
                                .flatMap(e -> e.getKey().stream()))
                .sorted()
                .toArray(String[]::new);
        return noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("each third-party library belongs to one module (docs/architecture.md)");
    }
}
