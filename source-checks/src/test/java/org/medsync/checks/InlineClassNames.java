package org.medsync.checks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds classes named in full inside code ({@code new java.io.File(..)}, {@code java.util.List<..>},
 * {@code org.medsync.x.Y.call()}) where an import would do. A full name stays allowed where the simple name
 * is taken in that file: by an import of another class, a type declared in the file, a class of the file's
 * own package, or a java.lang class.
 *
 * <p>It reads source text, not resolved symbols: a class name is a run of at least two lower-case segments
 * (the package) followed by a capitalised one, outside package and import lines, comments and literals. A
 * one-segment package would be indistinguishable from {@code variable.CONSTANT}; MedSync's dependencies have
 * none. A field chain ending in a capitalised member ({@code settings.limits.MAX}) would be taken for a class
 * name: write it through its class instead.
 */
final class InlineClassNames {

    /** An inline class name: the line it starts on and the name without whitespace. */
    record Finding(int line, String name) {}

    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w$.])(?!this\\b|super\\b)((?:[a-z][a-z0-9_]*\\s*\\.\\s*){2,})([A-Z][A-Za-z0-9_$]*)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+([\\w.]+)\\.(\\w+)\\s*;");
    private static final Pattern IMPORT_OR_PACKAGE = Pattern.compile("(?m)^\\s*(?:import|package)\\b[^;]*;");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)");

    private InlineClassNames() {}

    /**
     * The inline class names of one compilation unit, in order.
     *
     * @param samePackage simple names of the other classes in the file's package (its sibling files)
     */
    static List<Finding> find(String source, Set<String> samePackage) {
        String code = blankCommentsAndLiterals(source);
        Matcher pm = PACKAGE.matcher(code);
        String pkg = pm.find() ? pm.group(1) : "";
        Map<String, String> imported = new HashMap<>();
        for (Matcher m = IMPORT.matcher(code); m.find(); ) {
            imported.put(m.group(2), m.group(1) + "." + m.group(2));
        }
        Set<String> declared = new HashSet<>();
        for (Matcher m = DECLARED.matcher(code); m.find(); ) {
            declared.add(m.group(1));
        }
        String body = blank(code, IMPORT_OR_PACKAGE);
        List<Finding> found = new ArrayList<>();
        for (Matcher m = QUALIFIED.matcher(body); m.find(); ) {
            String qualifier = m.group(1).replaceAll("\\s", "");
            String owner = qualifier.substring(0, qualifier.length() - 1);
            String simple = m.group(2);
            String name = owner + "." + simple;
            boolean taken =
                    (imported.containsKey(simple) && !imported.get(simple).equals(name))
                            || (!owner.equals(pkg) && (declared.contains(simple) || samePackage.contains(simple)))
                            || (!owner.equals("java.lang") && isJavaLang(simple));
            if (!taken) {
                found.add(new Finding(lineOf(body, m.start()), name));
            }
        }
        return found;
    }

    private static boolean isJavaLang(String simple) {
        try {
            Class.forName("java.lang." + simple, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String blank(String text, Pattern pattern) {
        StringBuilder out = new StringBuilder(text);
        for (Matcher m = pattern.matcher(text); m.find(); ) {
            for (int i = m.start(); i < m.end(); i++) {
                if (out.charAt(i) != '\n') {
                    out.setCharAt(i, ' ');
                }
            }
        }
        return out.toString();
    }

    /** Comments, string, text block and char literals as spaces; line breaks kept, so lines still count. */
    static String blankCommentsAndLiterals(String source) {
        StringBuilder out = new StringBuilder(source);
        int n = source.length();
        int i = 0;
        while (i < n) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = closing(source, i + 3, "\"\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                end = closing(source, i + 1, String.valueOf(source.charAt(i)));
            } else {
                i++;
                continue;
            }
            for (int j = i; j < end; j++) {
                if (out.charAt(j) != '\n') {
                    out.setCharAt(j, ' ');
                }
            }
            i = end;
        }
        return out.toString();
    }

    /** The offset just past the first unescaped {@code quote} at or after {@code from}; the end if none. */
    private static int closing(String source, int from, String quote) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(quote, i)) {
                return i + quote.length();
            } else {
                i++;
            }
        }
        return source.length();
    }
}
