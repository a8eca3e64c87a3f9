package dev.pgsleuth.detect.nplusone;

import java.util.List;
import java.util.Locale;

/**
 * Small scanners over SQL text: the first keyword, a keyword as a whole word outside quotes,
 * the size of an {@code IN (…)} list or {@code ANY(…)} array, and the rewrite of a per-row
 * lookup into its batch form. Hand-written because they run on statements of any size and
 * regular expressions would cost more than the statement is worth.
 */
final class SqlText {
    private SqlText() {
    }

    /** The first keyword, lower case, after blanks, comments and opening parentheses; "" if none. */
    static String firstKeyword(String s) {
        int i = skipNoise(s, 0);
        int start = i;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
            i++;
        }
        return s.substring(start, i).toLowerCase(Locale.ROOT);
    }

    /** True when {@code sql} starts, after blanks, with a comment that begins with {@code marker}. */
    static boolean startsWithComment(String sql, String marker) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (!sql.startsWith("/*", i)) {
            return false;
        }
        i += 2;
        while (i < sql.length() && sql.charAt(i) == ' ') {
            i++;
        }
        return sql.regionMatches(true, i, marker, 0, marker.length());
    }

    private static int skipNoise(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("--", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end + 1;
            } else {
                break;
            }
        }
        return i;
    }

    /** True when the text has a {@code $n} placeholder (quotes are not looked at: rare, harmless). */
    static boolean hasPlaceholder(String s) {
        int i = s.indexOf('$');
        while (i >= 0) {
            if (i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)) && (i == 0 || !isIdentChar(s.charAt(i - 1)))) {
                return true;
            }
            i = s.indexOf('$', i + 1);
        }
        return false;
    }

    static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * Index of {@code word} (lower case) as a whole word, case-insensitive, outside string
     * literals and quoted identifiers, from {@code from}; -1 if absent.
     */
    static int findWord(String s, String word, int from) {
        int n = s.length();
        int w = word.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    return -1;
                }
                i = end;
                continue;
            }
            if ((c | 0x20) == word.charAt(0) && i + w <= n && s.regionMatches(true, i, word, 0, w)
                    && (i == 0 || !isIdentChar(s.charAt(i - 1)))
                    && (i + w == n || !isIdentChar(s.charAt(i + w)))) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The largest number of keys one {@code IN (…)} list or {@code ANY(…)} array of this
     * execution carries. 2 or more means a batch load, not a per-row lookup. An {@code ANY($n)}
     * whose parameter was not logged counts as a batch, since that is what the shape is for.
     */
    static int batchSize(String sql, List<String> parameters) {
        int max = 1;
        // runs on every SELECT: jump from '(' to '(' and look at the word before it
        int open = sql.indexOf('(');
        while (open >= 0) {
            int end = open;
            while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
                end--;
            }
            boolean in = endsWithWord(sql, end, "in");
            boolean any = !in && endsWithWord(sql, end, "any");
            if ((in || any) && !insideQuotes(sql, open)) {
                max = Math.max(max, listSize(sql, open, parameters, any));
            }
            open = sql.indexOf('(', open + 1);
        }
        return max;
    }

    private static boolean endsWithWord(String s, int end, String word) {
        int start = end - word.length();
        return start >= 0 && s.regionMatches(true, start, word, 0, word.length())
                && (start == 0 || !isIdentChar(s.charAt(start - 1)));
    }

    /** Whether {@code at} lies inside a string literal or quoted identifier. */
    private static boolean insideQuotes(String s, int at) {
        char open = 0;
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (open == 0 && (c == '\'' || c == '"')) {
                open = c;
            } else if (c == open) {
                open = 0;
            }
        }
        return open != 0;
    }

    private static int listSize(String sql, int open, List<String> parameters, boolean array) {
        int i = skipSpaces(sql, open + 1);
        String first = firstKeyword(sql.substring(i, Math.min(sql.length(), i + 8)));
        if (first.equals("select") || first.equals("with") || first.equals("values")) {
            return 1;
        }
        if (i < sql.length() && sql.charAt(i) == '$') {
            int j = i + 1;
            while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
                j++;
            }
            int after = skipSpaces(sql, j);
            boolean alone = after < sql.length() && (sql.charAt(after) == ')' || sql.startsWith("::", after));
            if (j > i + 1 && alone) {
                int index = Integer.parseInt(sql.substring(i + 1, j)) - 1;
                if (index < parameters.size()) {
                    String value = parameters.get(index);
                    return value != null && value.startsWith("{") ? arrayLiteralSize(value) : 1;
                }
                return array ? 2 : 1;
            }
        }
        if (i < sql.length() && sql.charAt(i) == '\'' && i + 1 < sql.length() && sql.charAt(i + 1) == '{') {
            int end = sql.indexOf('\'', i + 1);
            return end < 0 ? 1 : arrayLiteralSize(sql.substring(i + 1, end));
        }
        if (sql.regionMatches(true, i, "array", 0, 5)) {
            int bracket = skipSpaces(sql, i + 5);
            return bracket < sql.length() && sql.charAt(bracket) == '[' ? topLevelItems(sql, bracket, ']') : 1;
        }
        return topLevelItems(sql, open, ')');
    }

    /** Items between the bracket at {@code open} and its partner {@code close}. */
    private static int topLevelItems(String s, int open, char close) {
        int depth = 0;
        int items = 1;
        boolean empty = true;
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    break;
                }
                i = end;
                empty = false;
            } else if (c == '(' || c == '[') {
                depth++;
                empty = false;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (c == close) {
                break;
            } else if (c == ',' && depth == 0) {
                items++;
            } else if (!Character.isWhitespace(c)) {
                empty = false;
            }
        }
        return empty ? 0 : items;
    }

    /** Elements of a PostgreSQL array literal such as {@code {1,2,3}}. */
    static int arrayLiteralSize(String value) {
        String v = value.trim();
        if (v.length() < 2 || v.charAt(0) != '{') {
            return 1;
        }
        return topLevelItems(v, 0, '}');
    }

    /**
     * The predicate that compares a column with placeholder {@code $k}: {@code col = $k},
     * {@code $k = col} (SQLAlchemy) or {@code col IN ($k)} (Prisma, Django {@code __in} with one
     * key). {@code null} when the placeholder is used otherwise.
     */
    static KeyPredicate keyPredicate(String text, int k) {
        String token = "$" + k;
        int at = text.indexOf(token);
        while (at >= 0) {
            int end = at + token.length();
            boolean whole = (end == text.length() || !Character.isDigit(text.charAt(end)))
                    && (at == 0 || !isIdentChar(text.charAt(at - 1)));
            if (whole) {
                KeyPredicate p = predicateAround(text, at, end);
                if (p != null) {
                    return p;
                }
            }
            at = text.indexOf(token, end);
        }
        return null;
    }

    private static KeyPredicate predicateAround(String text, int at, int end) {
        int left = at - 1;
        while (left >= 0 && Character.isWhitespace(text.charAt(left))) {
            left--;
        }
        if (left >= 0 && text.charAt(left) == '=' && (left == 0 || "<>!".indexOf(text.charAt(left - 1)) < 0)) {
            int colEnd = left;
            while (colEnd > 0 && Character.isWhitespace(text.charAt(colEnd - 1))) {
                colEnd--;
            }
            int colStart = identifierStartBefore(text, colEnd);
            return colStart < colEnd ? new KeyPredicate(colStart, end, text.substring(colStart, colEnd)) : null;
        }
        if (left >= 0 && text.charAt(left) == '(') {
            int close = skipSpaces(text, end);
            int inAt = left - 1;
            while (inAt >= 0 && Character.isWhitespace(text.charAt(inAt))) {
                inAt--;
            }
            if (close < text.length() && text.charAt(close) == ')' && inAt >= 1
                    && text.regionMatches(true, inAt - 1, "in", 0, 2)
                    && (inAt < 2 || !isIdentChar(text.charAt(inAt - 2)))) {
                int colEnd = inAt - 1;
                while (colEnd > 0 && Character.isWhitespace(text.charAt(colEnd - 1))) {
                    colEnd--;
                }
                int colStart = identifierStartBefore(text, colEnd);
                return colStart < colEnd ? new KeyPredicate(colStart, close + 1, text.substring(colStart, colEnd)) : null;
            }
            return null;
        }
        int eq = skipSpaces(text, end);
        if (eq < text.length() && text.charAt(eq) == '=' && (eq + 1 >= text.length() || text.charAt(eq + 1) != '=')) {
            int colStart = skipSpaces(text, eq + 1);
            int colEnd = colStart;
            while (colEnd < text.length() && isChainChar(text.charAt(colEnd))) {
                colEnd++;
            }
            return colStart < colEnd ? new KeyPredicate(at, colEnd, text.substring(colStart, colEnd)) : null;
        }
        return null;
    }

    private static boolean isChainChar(char c) {
        return isIdentChar(c) && c != '$' || c == '.' || c == '"';
    }

    private static int identifierStartBefore(String text, int end) {
        int i = end;
        while (i > 0 && isChainChar(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /**
     * A comparison of one column with one placeholder, at {@code [start, end)} of the text.
     *
     * @param column the column expression as written ({@code b1_0.author_id},
     *               {@code "books_author"."id"})
     */
    record KeyPredicate(int start, int end, String column) {

        /** The bare column name, without qualifier or quotes. */
        String columnName() {
            int dot = column.lastIndexOf('.');
            return column.substring(dot + 1).replace("\"", "");
        }
    }

    /**
     * The statement that loads the rows for all keys at once: the per-row predicate becomes
     * {@code col = ANY($k)}, a trailing LIMIT / OFFSET goes, a count gets grouped by the key.
     */
    static String batchForm(String text, KeyPredicate key, int k, boolean aggregate) {
        String col = key.column();
        String sql = text.substring(0, key.start()) + col + " = ANY($" + k + ")" + text.substring(key.end());
        sql = stripTail(sql);
        int select = findWord(sql, "select", 0);
        if (select < 0) {
            return sql;
        }
        int listStart = skipSpaces(sql, select + 6);
        int from = findWord(sql, "from", listStart);
        if (aggregate && findWord(sql, "group", 0) < 0) {
            sql = sql.substring(0, listStart) + col + ", " + sql.substring(listStart) + " GROUP BY " + col;
        } else if (from > 0 && isConstantList(sql.substring(listStart, from))) {
            sql = sql.substring(0, listStart) + "DISTINCT " + col + " " + sql.substring(from);
        }
        return renumber(sql);
    }

    /** Placeholders numbered from {@code $1} in order of first appearance. */
    private static String renumber(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        java.util.Map<String, Integer> numbers = new java.util.HashMap<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? sql.length() : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && (i == 0 || !isIdentChar(sql.charAt(i - 1)))
                    && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                int n = numbers.computeIfAbsent(sql.substring(i, j), k -> numbers.size() + 1);
                out.append('$').append(n);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code 1}, {@code $2}, {@code 1 AS one}: the select list of an existence check. */
    static boolean isConstantList(String list) {
        String l = list.trim().toLowerCase(Locale.ROOT);
        int as = l.indexOf(" as ");
        String head = as < 0 ? l : l.substring(0, as).trim();
        return head.equals("1") || isPlaceholder(head);
    }

    /** {@code $n}: what a regular expression checked here, compiled anew for every finding. */
    private static boolean isPlaceholder(String s) {
        if (s.length() < 2 || s.charAt(0) != '$') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripTail(String sql) {
        String s = sql.strip();
        boolean changed = true;
        while (changed) {
            changed = false;
            if (s.endsWith(";")) {
                s = s.substring(0, s.length() - 1).strip();
                changed = true;
            }
            for (String word : new String[] {"limit", "offset"}) {
                int i = s.length();
                while (i > 0 && (isIdentChar(s.charAt(i - 1)))) {
                    i--;
                }
                int valueStart = i;
                while (i > 0 && Character.isWhitespace(s.charAt(i - 1))) {
                    i--;
                }
                if (valueStart < s.length() && i >= word.length() && i < valueStart
                        && s.regionMatches(true, i - word.length(), word, 0, word.length())
                        && (i == word.length() || !isIdentChar(s.charAt(i - word.length() - 1)))) {
                    s = s.substring(0, i - word.length()).strip();
                    changed = true;
                }
            }
        }
        return s;
    }
}
