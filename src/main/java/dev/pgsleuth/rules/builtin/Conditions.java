package dev.pgsleuth.rules.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the conditions out of a plan's {@code Filter} / {@code Index Cond} text, as PostgreSQL
 * deparses it: {@code ((status = 'x'::text) AND (total > '10'::numeric))}. Only top-level ANDs are
 * split; a condition this reader does not understand is kept as {@link Kind#OTHER}. Runs once per
 * plan node, not per log line.
 */
final class Conditions {

    enum Kind { EQUALITY, RANGE, LIKE, NULL_TEST, BOOLEAN, OTHER }

    /**
     * One conjunct.
     *
     * @param kind     what kind of comparison
     * @param column   the column compared (unqualified), or {@code null} for OTHER
     * @param function the function wrapped around the column ({@code lower}), or {@code null}
     * @param operator the operator as deparsed ({@code =}, {@code >=}, {@code ~~}, {@code IS NULL}, …)
     * @param value    the right-hand side as deparsed, or {@code null}
     * @param text     the conjunct as deparsed
     */
    record Condition(Kind kind, String column, String function, String operator, String value, String text) {

        /** True when the right side is a constant (not a parameter, not another column). */
        boolean constantValue() {
            return value != null && (value.startsWith("'") || value.matches("-?[0-9.]+(::.*)?")
                    || value.equals("true") || value.equals("false"));
        }

        /** The constant without its cast: {@code 'a@b.c'::text} → {@code 'a@b.c'}. */
        String bareValue() {
            if (value == null) {
                return null;
            }
            if (value.startsWith("'")) {
                int end = value.indexOf("'::");
                return end > 0 ? value.substring(0, end + 1) : value;
            }
            int cast = value.indexOf("::");
            return cast > 0 ? value.substring(0, cast) : value;
        }
    }

    private static final String COLUMN = "(?:\\w+\\.)?(\\w+|\"[^\"]+\")";
    private static final Pattern COMPARISON = Pattern.compile(
            "^\\(?" + COLUMN + "\\)?(?:::[\\w .\\[\\]]+)?\\s+(=|<>|!=|<|>|<=|>=|~~\\*?|!~~\\*?)\\s+(?:ANY\\s+)?(.+)$");
    private static final Pattern FUNCTION = Pattern.compile(
            "^(\\w+)\\(\\(?" + COLUMN + "\\)?(?:::[\\w .]+)?\\)(?:::[\\w .]+)?\\s+(=|<>|<|>|<=|>=|~~\\*?)\\s+(.+)$");
    private static final Pattern NULL_TEST = Pattern.compile("^" + COLUMN + " IS (NOT )?NULL$");
    private static final Pattern BOOL = Pattern.compile("^(NOT )?" + COLUMN + "$");

    private Conditions() {
    }

    /** The top-level conjuncts of a condition text; empty for {@code null}. */
    static List<Condition> parse(String text) {
        List<Condition> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : splitAnd(stripParens(text.strip()))) {
            out.add(one(stripParens(part.strip())));
        }
        return out;
    }

    /** True when the text has an OR at its top level, which no single btree index serves. */
    static boolean hasTopLevelOr(String text) {
        return text != null && splitTopLevel(stripParens(text.strip()), " OR ").size() > 1;
    }

    private static Condition one(String c) {
        Matcher m = FUNCTION.matcher(c);
        if (m.matches()) {
            return new Condition(kindOf(m.group(3)), unquote(m.group(2)), m.group(1), m.group(3), m.group(4), c);
        }
        m = COMPARISON.matcher(c);
        if (m.matches()) {
            return new Condition(kindOf(m.group(2)), unquote(m.group(1)), null, m.group(2), m.group(3), c);
        }
        m = NULL_TEST.matcher(c);
        if (m.matches()) {
            return new Condition(Kind.NULL_TEST, unquote(m.group(1)), null,
                    m.group(2) == null ? "IS NULL" : "IS NOT NULL", null, c);
        }
        m = BOOL.matcher(c);
        if (m.matches()) {
            return new Condition(Kind.BOOLEAN, unquote(m.group(2)), null, m.group(1) == null ? "" : "NOT", null, c);
        }
        return new Condition(Kind.OTHER, null, null, null, null, c);
    }

    private static Kind kindOf(String op) {
        return switch (op) {
            case "=" -> Kind.EQUALITY;
            case "<", ">", "<=", ">=" -> Kind.RANGE;
            case "~~", "~~*" -> Kind.LIKE;
            default -> Kind.OTHER;
        };
    }

    private static String unquote(String col) {
        return col.startsWith("\"") ? col.substring(1, col.length() - 1) : col;
    }

    private static List<String> splitAnd(String text) {
        return splitTopLevel(text, " AND ");
    }

    /** Splits at a separator outside parentheses and quotes. */
    private static List<String> splitTopLevel(String text, String separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int last = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && text.startsWith(separator, i)) {
                parts.add(text.substring(last, i));
                last = i + separator.length();
                i = last - 1;
            }
        }
        parts.add(text.substring(last));
        return parts;
    }

    /** Removes parentheses that enclose the whole text. */
    static String stripParens(String text) {
        String t = text;
        while (t.startsWith("(") && t.endsWith(")") && closesAtEnd(t)) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    private static boolean closesAtEnd(String t) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
                if (depth == 0 && i < t.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }
}
