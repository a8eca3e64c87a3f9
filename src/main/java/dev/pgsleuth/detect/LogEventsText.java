package dev.pgsleuth.detect;

/** Small hand-written scanners over PostgreSQL message texts, so no regex runs per entry. */
final class LogEventsText {
    private LogEventsText() {
    }

    /**
     * The message with what varies between occurrences replaced: double-quoted names become
     * {@code "..."}, single-quoted values {@code '...'}, and numbers standing alone {@code #}.
     */
    static String normalizeMessage(String m) {
        StringBuilder b = new StringBuilder(m.length());
        int n = m.length();
        int i = 0;
        while (i < n) {
            char c = m.charAt(i);
            if (c == '"' || c == '\'') {
                int end = m.indexOf(c, i + 1);
                if (end < 0) {
                    b.append(m, i, n);
                    break;
                }
                b.append(c).append("...").append(c);
                i = end + 1;
            } else if (isDigit(c) && (i == 0 || !isWordChar(m.charAt(i - 1)))) {
                int j = i;
                while (j < n && (isDigit(m.charAt(j))
                        || (m.charAt(j) == '.' && j + 1 < n && isDigit(m.charAt(j + 1))))) {
                    j++;
                }
                if (j < n && isWordChar(m.charAt(j))) {
                    b.append(m, i, j);
                } else {
                    b.append('#');
                }
                i = j;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /**
     * The decimal number that starts at {@code from} ({@code 200.080}), or {@code NaN} when there
     * is none.
     */
    static double decimalAt(String s, int from) {
        if (from < 0 || from >= s.length()) {
            return Double.NaN;
        }
        int j = from;
        while (j < s.length() && (isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
            j++;
        }
        if (j == from) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.substring(from, j));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The non-negative integer that starts at {@code from}, or -1. */
    static long longAt(String s, int from) {
        long v = 0;
        int j = from;
        while (j < s.length() && isDigit(s.charAt(j)) && j - from < 18) {
            v = v * 10 + (s.charAt(j) - '0');
            j++;
        }
        return j == from ? -1 : v;
    }

    /** The text after {@code marker} up to the next space (or the end), or {@code null}. */
    static String wordAfter(String s, String marker) {
        int i = s.indexOf(marker);
        if (i < 0) {
            return null;
        }
        int from = i + marker.length();
        int end = s.indexOf(' ', from);
        return s.substring(from, end < 0 ? s.length() : end);
    }

    /**
     * Milliseconds of a {@code log_disconnections} session time {@code H:MM:SS.mmm} starting at
     * {@code from}, or {@code NaN}.
     */
    static double sessionTimeMs(String s, int from) {
        long h = longAt(s, from);
        int i = from + digits(s, from);
        if (h < 0 || i >= s.length() || s.charAt(i) != ':') {
            return Double.NaN;
        }
        long m = longAt(s, ++i);
        i += digits(s, i);
        if (m < 0 || i >= s.length() || s.charAt(i) != ':') {
            return Double.NaN;
        }
        double sec = decimalAt(s, i + 1);
        if (Double.isNaN(sec)) {
            return Double.NaN;
        }
        return (h * 3600 + m * 60) * 1000.0 + sec * 1000.0;
    }

    private static int digits(String s, int from) {
        int j = from;
        while (j < s.length() && isDigit(s.charAt(j))) {
            j++;
        }
        return j - from;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
