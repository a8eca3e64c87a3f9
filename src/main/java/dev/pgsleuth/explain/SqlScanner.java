package dev.pgsleuth.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small PostgreSQL lexer for the safety checks and for turning {@code $n} into JDBC {@code ?}:
 * it knows string constants ({@code '…'}, {@code E'…'}, dollar quotes), quoted identifiers and
 * comments, so that nothing inside them is taken for a keyword, a function call, a semicolon or a
 * parameter. It runs once per explained statement, not on the log hot path.
 */
final class SqlScanner {

    /** Kind of a token outside strings and comments. */
    enum Kind { WORD, QUOTED_IDENT, STRING, PARAM, SYMBOL }

    /** One token; {@code text} is lower-cased for words. */
    record Token(Kind kind, String text, int start, int end) {
    }

    private SqlScanner() {
    }

    /** Tokens of the text; throws {@link IllegalArgumentException} on an unterminated string or comment. */
    static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '\'') {
                int end = skipQuoted(sql, i, '\'', false);
                out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                int end = skipQuoted(sql, i + 1, '\'', true);
                out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if (c == '"') {
                int end = skipQuoted(sql, i, '"', false);
                String ident = sql.substring(i + 1, end - 1).replace("\"\"", "\"");
                out.add(new Token(Kind.QUOTED_IDENT, ident, i, end));
                i = end;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                out.add(new Token(Kind.PARAM, sql.substring(i + 1, j), i, j));
                i = j;
            } else if (c == '$') {
                int tagEnd = sql.indexOf('$', i + 1);
                String tag = tagEnd > 0 ? sql.substring(i, tagEnd + 1) : null;
                if (tag == null || !validTag(tag)) {
                    out.add(new Token(Kind.SYMBOL, "$", i, i + 1));
                    i++;
                } else {
                    int close = sql.indexOf(tag, tagEnd + 1);
                    if (close < 0) {
                        throw new IllegalArgumentException("unterminated dollar-quoted string");
                    }
                    int end = close + tag.length();
                    out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                    i = end;
                }
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j).toLowerCase(Locale.ROOT), i, j));
                i = j;
            } else {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return out;
    }

    private static boolean validTag(String tag) {
        for (int k = 1; k < tag.length() - 1; k++) {
            char ch = tag.charAt(k);
            if (!(Character.isLetterOrDigit(ch) || ch == '_') || (k == 1 && Character.isDigit(ch))) {
                return false;
            }
        }
        return true;
    }

    private static int skipBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated comment");
    }

    private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated quoted text");
    }

    /**
     * The statement rewritten for a JDBC prepared statement: each {@code $n} becomes {@code ?} and
     * each literal {@code ?} operator becomes {@code ??} (pgjdbc's escape).
     *
     * @param parameterOrder receives, per {@code ?} in order, the 1-based {@code $n} it stands for
     */
    static String toJdbc(String sql, List<Integer> parameterOrder) {
        StringBuilder sb = new StringBuilder(sql.length());
        int last = 0;
        for (Token t : tokens(sql)) {
            if (t.kind() == Kind.PARAM) {
                sb.append(sql, last, t.start()).append('?');
                parameterOrder.add(Integer.parseInt(t.text()));
                last = t.end();
            } else if (t.kind() == Kind.SYMBOL && t.text().equals("?")) {
                sb.append(sql, last, t.start()).append("??");
                last = t.end();
            }
        }
        return sb.append(sql, last, sql.length()).toString();
    }

    /** The highest {@code $n} in the text, 0 when there is none. */
    static int maxParameter(List<Token> tokens) {
        int max = 0;
        for (Token t : tokens) {
            if (t.kind() == Kind.PARAM) {
                max = Math.max(max, Integer.parseInt(t.text()));
            }
        }
        return max;
    }

    /** The text without trailing semicolons and whitespace. */
    static String stripTrailingSemicolons(String sql) {
        int end = sql.length();
        while (end > 0 && (Character.isWhitespace(sql.charAt(end - 1)) || sql.charAt(end - 1) == ';')) {
            end--;
        }
        return sql.substring(0, end);
    }
}
