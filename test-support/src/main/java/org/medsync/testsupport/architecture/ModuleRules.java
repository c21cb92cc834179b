package org.medsync.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;

/**
 * The rules of docs/architecture.md that hold for several modules, written once so that a library given to a module
 * is named in one place, not in every module's ArchitectureTest.
 */
public final class ModuleRules {
    /**
     * Each third-party library stays with the module it belongs to: the web framework and Redis with server,
     * PixelMed with dicom, webrtc-java with readout-relay, the S3 client with archive, the tus client with
     * recorder, DJL and ONNX Runtime with photo-restore.
     */
    private static final Map<String, List<String>> LIBRARIES_BY_MODULE = Map.of(
            "server", List.of("io.javalin..", "org.eclipse.jetty..", "redis.clients.."),
            "dicom", List.of("com.pixelmed.."),
            "readout-relay", List.of("dev.onvoid.."),
            "archive", List.of("software.amazon.awssdk.."),
            "recorder", List.of("io.tus.."),
            "photo-restore", List.of("ai.djl..", "ai.onnxruntime.."));

    private ModuleRules() {}

    /** No class of {@code module} uses a third-party library that belongs to another module. */
    public static ArchRule usesNoLibraryOfAnotherModule(String module) {
        String[] others = LIBRARIES_BY_MODULE.entrySet().stream()
                .filter(e -> !e.getKey().equals(module))
                .flatMap(e -> e.getValue().stream())
                .sorted()
                .toArray(String[]::new);
        return noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("each third-party library belongs to one module (docs/architecture.md)");
    }
}
