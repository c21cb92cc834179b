package org.medsync.testsupport.conventions;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one shape of an exception that carries a reason (docs/architecture.md, "Errors"), checked in each module over
 * all of its main classes. The protocol libraries (rtp, sdp, st2110, dicom, ...) are usable alone and share no main
 * module, so the shape is a convention that this check keeps, not a shared type:
 *
 * <ul>
 *   <li>the exception class is final, and its reason is an enum named {@code Reason} (nested in it, or in the
 *       result type it shares with a non-throwing decoder), each constant documented: why, in the reader's terms;
 *   <li>it holds the reason in one private final field, never null, and answers it from {@code reason()};
 *   <li>when the reason reaches a wire (an HTTP error code, a report), {@code Reason.code()} gives it, and the code
 *       is the constant's name in kebab case ({@code NOT_FOUND} is {@code not-found}): callers never spell it.
 * </ul>
 */
public final class ReasonExceptions {
    /** An enum constant without arguments or body, and the comma after it if another follows. */
    private static final Pattern CONSTANT = Pattern.compile("([A-Z][A-Z0-9_]*)\\s*,?");

    private ReasonExceptions() {}

    /**
     * Checks every exception among the main classes of the calling module (run from the module's directory, as
     * Surefire does: compiled in target/classes, source in src/main/java) that has a reason, and that they are
     * exactly {@code expected}: a new one is listed consciously, and a scan that finds nothing fails. {@code lookup}
     * is the caller's, to call {@code code()} on reasons of packages the module does not export.
     */
    public static void check(MethodHandles.Lookup lookup, Class<?>... expected) throws Exception {
        check(lookup, Path.of("target/classes"), Path.of("src/main/java"), Set.of(expected));
    }

    static void check(MethodHandles.Lookup lookup, Path classes, Path sources, Set<Class<?>> expected)
            throws Exception {
        Set<String> found = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Class<?> c : classes(lookup, classes)) {
            if (Throwable.class.isAssignableFrom(c) && carriesAReason(c)) {
                found.add(c.getName());
                problems.addAll(problems(lookup, c, sources));
            }
        }
        Set<String> listed = new TreeSet<>();
        expected.forEach(c -> listed.add(c.getName()));
        if (!found.equals(listed)) {
            problems.add("exceptions with a reason found " + found + ", listed " + listed);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    private static boolean carriesAReason(Class<?> c) {
        return Arrays.stream(c.getDeclaredClasses()).anyMatch(Class::isEnum)
                || Arrays.stream(c.getDeclaredMethods())
                        .anyMatch(m -> m.getParameterCount() == 0
                                && m.getReturnType().isEnum()
                                && !Modifier.isStatic(m.getModifiers()));
    }

    private static List<String> problems(MethodHandles.Lookup lookup, Class<?> c, Path sources) throws Exception {
        List<String> problems = new ArrayList<>();
        String name = c.getName();
        if (!Modifier.isFinal(c.getModifiers())) {
            problems.add(name + " is not final");
        }
        for (Class<?> nested : c.getDeclaredClasses()) {
            if (nested.isEnum() && !nested.getSimpleName().equals("Reason")) {
                problems.add(name + " names its reason " + nested.getSimpleName() + ", not Reason");
            }
        }
        Method reason;
        try {
            reason = c.getDeclaredMethod("reason");
        } catch (NoSuchMethodException e) {
            problems.add(name + " has no reason()");
            return problems;
        }
        Class<?> type = reason.getReturnType();
        if (!type.isEnum() || !type.getSimpleName().equals("Reason")) {
            problems.add(name + ".reason() answers " + type.getName() + ", not an enum named Reason");
            return problems;
        }
        if (!Modifier.isPublic(reason.getModifiers())) {
            problems.add(name + ".reason() is not public");
        }
        List<Field> fields = Arrays.stream(c.getDeclaredFields())
                .filter(f -> f.getType() == type)
                .toList();
        if (fields.size() != 1
                || !Modifier.isPrivate(fields.getFirst().getModifiers())
                || !Modifier.isFinal(fields.getFirst().getModifiers())) {
            problems.add(name + " must hold its reason in one private final field");
        }
        problems.addAll(undocumented(type, sources));
        problems.addAll(codes(lookup, type));
        return problems;
    }

    /** Each constant of the enum has a Javadoc comment in the source. */
    private static List<String> undocumented(Class<?> reason, Path sources) throws IOException {
        Class<?> top = reason;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        Path source = sources.resolve(top.getName().replace('.', '/') + ".java");
        String text = Files.readString(source);
        int start = text.indexOf("enum Reason {");
        if (start < 0) {
            return List.of(source + " does not declare enum Reason");
        }
        // The constants, each with or without a Javadoc comment before it, up to the first ';' or '}' outside one.
        Set<String> seen = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        int pos = start + "enum Reason {".length();
        boolean documented = false;
        while (pos < text.length()) {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (text.startsWith("/*", pos)) {
                documented = text.startsWith("/**", pos);
                pos = text.indexOf("*/", pos) + 2;
            } else if (text.startsWith("//", pos)) {
                pos = text.indexOf('\n', pos);
            } else {
                Matcher m = CONSTANT.matcher(text).region(pos, text.length());
                if (!m.lookingAt()) {
                    break;
                }
                seen.add(m.group(1));
                if (!documented) {
                    missing.add(m.group(1));
                }
                documented = false;
                pos = m.end();
            }
        }
        List<String> problems = new ArrayList<>();
        for (Object constant : reason.getEnumConstants()) {
            String n = ((Enum<?>) constant).name();
            if (!seen.contains(n)) {
                problems.add(reason.getName() + "." + n + " not found in " + source);
            } else if (missing.contains(n)) {
                problems.add(reason.getName() + "." + n + " has no Javadoc: say why, in the reader's terms");
            }
        }
        return problems;
    }

    /** Where the enum has {@code code()}, each constant's code is its name in kebab case. */
    private static List<String> codes(MethodHandles.Lookup lookup, Class<?> reason) throws Exception {
        if (Arrays.stream(reason.getDeclaredMethods())
                .noneMatch(m -> m.getName().equals("code") && m.getParameterCount() == 0)) {
            return List.of();
        }
        MethodHandle code = MethodHandles.privateLookupIn(reason, lookup)
                .findVirtual(reason, "code", MethodType.methodType(String.class));
        List<String> problems = new ArrayList<>();
        for (Object constant : reason.getEnumConstants()) {
            String n = ((Enum<?>) constant).name();
            String expected = n.toLowerCase(Locale.ROOT).replace('_', '-');
            try {
                String actual = (String) code.invoke(constant);
                if (!expected.equals(actual)) {
                    problems.add(reason.getName() + "." + n + ".code() is " + actual + ", not " + expected);
                }
            } catch (Throwable t) {
                problems.add(reason.getName() + "." + n + ".code() threw " + t);
            }
        }
        return problems;
    }

    private static List<Class<?>> classes(MethodHandles.Lookup lookup, Path root) throws IOException {
        ClassLoader loader = lookup.lookupClass().getClassLoader();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".class")).toList()) {
                String file = root.relativize(p).toString();
                if (file.equals("module-info.class") || file.endsWith("package-info.class")) {
                    continue;
                }
                String name =
                        file.substring(0, file.length() - ".class".length()).replace('/', '.');
                try {
                    classes.add(Class.forName(name, false, loader));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + name + " from " + root, e);
                }
            }
        }
        return classes;
    }
}
