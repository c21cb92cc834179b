package org.medsync.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medsync.checks.InlineClassNames.Finding;

/**
 * Main code names other classes through imports, not inline in full: the check over every module's
 * src/main/java, and what the check itself finds and leaves. PMD's UnnecessaryFullyQualifiedName would not do:
 * it only reports a full name whose class is imported already or needs no import.
 */
class InlineClassNamesTest {

    private static final Path ROOT =
            Path.of(System.getProperty("medsync.projectRoot", "..")).normalize();

    @Test
    void mainCodeOfEveryModuleNamesClassesThroughImports() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(ROOT)) {
            sources = modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .flatMap(InlineClassNamesTest::javaFiles)
                    .filter(f -> !f.getFileName().toString().equals("module-info.java"))
                    .sorted()
                    .toList();
        }
        for (Path file : sources) {
            for (Finding f : InlineClassNames.find(Files.readString(file), siblings(file))) {
                found.add(ROOT.relativize(file) + ":" + f.line() + ": " + f.name());
            }
        }
        // The walk itself must have found the tree, or the check would pass on nothing.
        assertTrue(
                sources.stream().anyMatch(f -> f.endsWith("org/medsync/rtp/RtpPacket.java")) && sources.size() > 200,
                "main sources under " + ROOT + ": " + sources.size());
        assertEquals(
                "",
                String.join("\n", found),
                "import these classes (a full name stays only where the simple name is taken in the file)");
    }

    @Test
    void findsPlantedFullNames() {
        String source = """
                package org.medsync.example;

                import java.util.List;

                final class Planted {
                    private final List<String> names = new java.util.ArrayList<>();

                    int hash() {
                        return java.util.Objects.hash(names, org.medsync.rtp
                                .RtpPacket.class);
                    }

                    @javax.annotation.processing.Generated("x")
                    java.util.Map.Entry<String, String> entry;
                }
                """;
        assertEquals(
                List.of(
                        new Finding(6, "java.util.ArrayList"),
                        new Finding(9, "java.util.Objects"),
                        new Finding(9, "org.medsync.rtp.RtpPacket"),
                        new Finding(13, "javax.annotation.processing.Generated"),
                        new Finding(14, "java.util.Map")),
                InlineClassNames.find(source, Set.of()));
    }

    @Test
    void aNameAlreadyImportedOrFromJavaLangOrTheSamePackageIsStillFound() {
        String source = """
                package org.medsync.example;

                import java.util.List;

                final class Planted {
                    java.util.List<java.lang.String> names;
                    org.medsync.example.Sibling sibling;
                }
                """;
        assertEquals(
                List.of(
                        new Finding(6, "java.util.List"),
                        new Finding(6, "java.lang.String"),
                        new Finding(7, "org.medsync.example.Sibling")),
                InlineClassNames.find(source, Set.of("Sibling")));
    }

    @Test
    void importsCommentsLiteralsAndFieldChainsAreNotInlineNames() {
        String source = """
                package org.medsync.example;

                import java.util.List;
                import static java.util.Objects.requireNonNull;

                /** Uses {@link java.util.ArrayList}. */
                final class Quiet {
                    // java.io.File
                    /* java.io.File */
                    String s = "java.io.File \\" java.io.File";
                    String t = \"""
                            java.io.File
                            \""";
                    char c = '"';
                    String u = "a" + c + "java.io.File";
                    int n = this.size.MAX + obj.x().y.Z;
                }
                """;
        assertEquals(List.of(), InlineClassNames.find(source, Set.of()));
    }

    @Test
    void aFullNameStaysWhereTheSimpleNameIsTaken() {
        String source = """
                package org.medsync.example;

                import java.awt.List;

                final class Clashes {
                    java.util.List<String> imported;
                    org.other.Clashes declared;
                    org.other.Sibling samePackage;
                    com.example.Process javaLang;

                    record Inner() {}

                    org.other.Inner nested;
                }
                """;
        assertEquals(List.of(), InlineClassNames.find(source, Set.of("Sibling")));
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The simple names of the other classes in a file's package (its sibling files). */
    private static Set<String> siblings(Path file) throws IOException {
        try (Stream<Path> dir = Files.list(file.getParent())) {
            return dir.map(f -> f.getFileName().toString())
                    .filter(n ->
                            n.endsWith(".java") && !n.equals(file.getFileName().toString()))
                    .map(n -> n.substring(0, n.length() - ".java".length()))
                    .collect(Collectors.toSet());
        }
    }
}
