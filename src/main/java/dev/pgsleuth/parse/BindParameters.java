package dev.pgsleuth.parse;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * Parses PostgreSQL's rendering of bind parameters, {@code $1 = '42', $2 = NULL, $3 = 'it''s'}, as
 * written after {@code parameters: } / {@code Parameters: } (DETAIL of bind and execute lines) and
 * after {@code Query Parameters: } (auto_explain). Values are quoted with embedded quotes doubled;
 * they may hold commas, quotes and newlines. A value cut by {@code log_parameter_max_length} ends in
 * {@code ...} inside its quotes and is kept as logged.
 */
final class BindParameters {

    /** Parameter numbers above this are taken as garbage rather than allocated for. */
    private static final int MAX_PARAMETERS = 65_535;

    /** The values in {@code $n} order ({@code null} for SQL NULL) and where the list ended. */
    record Parsed(List<String> values, int end) {
    }

    private BindParameters() {
    }

    /**
     * The values of a DETAIL text, or an empty list when it holds no parameters. They are parsed
     * when first asked for ({@link DeferredValues}): whether there are any is known at once.
     */
    static List<String> fromDetail(String detail) {
        if (detail == null || detail.length() < 12) {
            return List.of();
        }
        char p = detail.charAt(0);
        if ((p == 'p' || p == 'P') && detail.startsWith("arameters: ", 1) && header(detail, 12) >= 0) {
            return new DeferredValues(detail);
        }
        return List.of();
    }

    /**
     * The values of a DETAIL whose list starts with a parameter, parsed when first asked for: most
     * are never asked for (of the execution's values only a SELECT's reach the N+1 detector, and
     * only the slowest execution's of a shape reach the report; a bind's none), and parsing them
     * all on reading took 6% of a one-thread run. Never empty. Threads that race to the first read
     * each parse an equal list, which {@link #parse} returns unmodifiable (published safely through
     * its final field); the stages read an entry on one thread at a time anyway.
     */
    private static final class DeferredValues extends AbstractList<String> implements RandomAccess {
        private final String detail;
        private List<String> values;

        DeferredValues(String detail) {
            this.detail = detail;
        }

        private List<String> values() {
            List<String> v = values;
            if (v == null) {
                v = parse(detail, 12).values();
                values = v;
            }
            return v;
        }

        @Override
        public String get(int index) {
            return values().get(index);
        }

        @Override
        public int size() {
            return values().size();
        }

        @Override
        public boolean isEmpty() {
            // a list that starts with a parameter has its value, whatever follows
            return false;
        }
    }

    /**
     * The parameter {@code $n = } starting at {@code i}: {@code n << 32} with the index its value
     * starts at, or -1 when none starts there (or its number is outside [1, MAX_PARAMETERS]).
     */
    private static long header(String s, int i) {
        int n = s.length();
        if (i >= n || s.charAt(i) != '$') {
            return -1;
        }
        int j = i + 1;
        int index = 0;
        while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9' && index <= MAX_PARAMETERS) {
            index = index * 10 + (s.charAt(j) - '0');
            j++;
        }
        if (j == i + 1 || index < 1 || index > MAX_PARAMETERS || !s.startsWith(" = ", j)) {
            return -1;
        }
        return (long) index << 32 | (j + 3);
    }

    /** Parses a parameter list starting at {@code from}; stops at the first thing that is not one. */
    static Parsed parse(String s, int from) {
        List<String> values = null;
        int n = s.length();
        int i = from;
        int end = from;
        for (long header = header(s, i); header >= 0; header = header(s, i)) {
            int index = (int) (header >>> 32);
            int j = (int) header;
            String value;
            if (s.startsWith("NULL", j)) {
                value = null;
                j += 4;
            } else if (j < n && s.charAt(j) == '\'') {
                int close = closingQuote(s, j + 1);
                if (close < 0) {
                    // the text was cut short: keep what there is
                    value = unquote(s, j + 1, n);
                    j = n;
                } else {
                    value = unquote(s, j + 1, close);
                    j = close + 1;
                }
            } else {
                int stop = s.indexOf(", $", j);
                int stopAt = stop < 0 ? lineEnd(s, j) : stop;
                value = s.substring(j, stopAt);
                j = stopAt;
            }
            if (values == null) {
                values = new ArrayList<>();
            }
            while (values.size() < index) {
                values.add(null);
            }
            values.set(index - 1, value);
            end = j;
            if (!s.startsWith(", $", j)) {
                break;
            }
            i = j + 2;
        }
        return new Parsed(values == null ? List.of() : Collections.unmodifiableList(values), end);
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    /** Index of the quote that closes a value whose text starts at {@code from}, or -1. */
    private static int closingQuote(String s, int from) {
        int i = from;
        int n = s.length();
        while (true) {
            int q = s.indexOf('\'', i);
            if (q < 0) {
                return -1;
            }
            if (q + 1 < n && s.charAt(q + 1) == '\'') {
                i = q + 2;
            } else {
                return q;
            }
        }
    }

    private static String unquote(String s, int from, int to) {
        // Inside the quotes every quote is a doubled one, so the first quote at or after from is
        // either such a pair or the closing quote at to: the search stays within this value
        // (searching for "''" ran on to the end of the whole list, for every value).
        int q = s.indexOf('\'', from);
        if (q < 0 || q >= to) {
            return s.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            sb.append(c);
            i += c == '\'' && i + 1 < to && s.charAt(i + 1) == '\'' ? 2 : 1;
        }
        return sb.toString();
    }
}
