package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.StatementPhase;
import java.util.Arrays;
import java.util.List;

/**
 * What a primary message says about a statement: a statement line ({@code statement:},
 * {@code parse|bind|execute <name>:}, with or without {@code duration:}), a bare duration, an
 * auto_explain plan, or something else. A pure reading of the message text, so a reader can
 * classify lines on its worker threads and the {@link StatementInterpreter} only joins them.
 * One instance per thread: it keeps the texts it returned lately, and its fields hold the last
 * message classified.
 */
final class MessageForm {
    enum Kind { OTHER, STATEMENT, DURATION_ONLY, PLAN }

    private static final int RECENT_TEXTS = 1 << 12;
    private static final int RECENT_TEXT_MAX_LENGTH = 4096;
    private final String[] recentTexts = new String[RECENT_TEXTS];
    /** The UTF-8 bytes of {@link #recentTexts}, where known. */
    private final byte[][] recentBytes = new byte[RECENT_TEXTS][];
    /** Room for two recent texts' characters, compared as arrays ({@link #sameText}). */
    private final char[] scratch = new char[2 * RECENT_TEXT_MAX_LENGTH];
    /** The bytes the message being classified was decoded from, or null. */
    private byte[] bytes;
    private int bytesStart;
    private int bytesEnd;

    // fields rather than a result object, as this runs per entry
    Kind kind;
    StatementPhase phase;
    /** The statement text (a statement line) or plan body (a plan). */
    String text;
    String preparedName;
    double duration;

    /**
     * Writes a statement line's phase, text, prepared name and duration into {@code b}, where the
     * interpreter takes them instead of classifying the message again (and the bind values a reader
     * may add from a DETAIL line); other kinds write nothing.
     * Only for an entry whose message is this one line: a reader must undo it
     * ({@link #unapply}) when more text joins the message.
     */
    void applyTo(LogEntry.Builder b) {
        if (kind == Kind.STATEMENT) {
            b.phase(phase).statement(text).preparedName(preparedName).durationMs(duration);
        }
    }

    /**
     * Reads a complete entry's message (an error's is left to the interpreter, as it reads none)
     * and writes what it says about a statement into {@code b} ({@link #applyTo}), with the bind
     * values of its DETAIL: what the interpreter would read itself, done where the entry was read.
     */
    void readEntry(LogEntry.Builder b) {
        if (b.severity() != null && b.severity().isError()) {
            return;
        }
        classify(b.message());
        if (kind == Kind.STATEMENT) {
            applyTo(b);
            List<String> values = BindParameters.fromDetail(b.detail());
            if (!values.isEmpty()) {
                b.parameters(values);
            }
        }
    }

    /** Undoes {@link #applyTo}: the interpreter then classifies the whole message itself. */
    static void unapply(LogEntry.Builder b) {
        if (b.phase() != null) {
            b.phase(null).statement(null).preparedName(null).durationMs(Double.NaN).parameters(List.of());
        }
    }

    /**
     * Recognizes the statement forms of {@code postgres.c} and auto_explain by their fixed
     * prefixes; sets {@link #kind} and the fields it implies. {@code m} may be null.
     */
    void classify(String m) {
        bytes = null;
        read(m);
    }

    /** Like {@link #classify(String)} for {@code m} decoded from {@code b[s, e)}, which it may compare as bytes. */
    void classify(String m, byte[] b, int s, int e) {
        bytes = b;
        bytesStart = s;
        bytesEnd = e;
        read(m);
        bytes = null;
    }

    private void read(String m) {
        kind = Kind.OTHER;
        phase = null;
        text = null;
        preparedName = null;
        duration = Double.NaN;
        if (m == null) {
            return;
        }
        int i = 0;
        if (m.startsWith("duration: ")) {
            int j = parseDuration(m, 10);
            if (j < 0) {
                return;
            }
            if (j == m.length()) {
                kind = Kind.DURATION_ONLY;
                return;
            }
            if (!m.startsWith("  ", j)) {
                return;
            }
            i = j + 2;
            if (m.startsWith("plan:", i)) {
                int body = i + 5;
                if (body < m.length() && m.charAt(body) == '\n') {
                    body++;
                }
                kind = Kind.PLAN;
                text = m.substring(body);
                return;
            }
        }
        boolean hasDuration = i > 0;
        if (m.startsWith("statement: ", i)) {
            kind = Kind.STATEMENT;
            phase = StatementPhase.SIMPLE;
            text = statementText(m, i + 11);
        } else if (m.startsWith("execute ", i)) {
            int from = i + 8;
            if (m.startsWith("fetch from ", from)) {
                from += 11;
            }
            named(m, from, StatementPhase.EXECUTE);
        } else if (hasDuration && m.startsWith("parse ", i)) {
            named(m, i + 6, StatementPhase.PARSE);
        } else if (hasDuration && m.startsWith("bind ", i)) {
            named(m, i + 5, StatementPhase.BIND);
        }
    }

    /** {@code <name>[/<portal>]: <text>} from {@code from}. */
    private void named(String m, int from, StatementPhase ph) {
        int colon = m.indexOf(": ", from);
        if (colon < 0) {
            return;
        }
        // the portal's slash, if any, within the name: not a search through the statement text
        int nameEnd = from;
        while (nameEnd < colon && m.charAt(nameEnd) != '/') {
            nameEnd++;
        }
        kind = Kind.STATEMENT;
        phase = ph;
        preparedName = m.startsWith("<unnamed>", from) && nameEnd == from + 9 ? null : m.substring(from, nameEnd);
        text = statementText(m, colon + 2);
    }

    /**
     * {@code m} from {@code from} on, as the very String returned for the same text before when
     * it is still in {@link #recentTexts}: a statement run again and again (extended protocol,
     * ORMs) is then neither copied nor hashed again downstream, where the normalizer memoizes by
     * text. The slot comes from a sample of the text, so a long text is not read twice. The texts
     * are compared several characters at a time: as bytes when the message's bytes are at hand
     * and one byte per character, else as characters ({@link #sameText}).
     */
    private String statementText(String m, int from) {
        int n = m.length();
        int len = n - from;
        if (len <= 0) {
            return "";
        }
        boolean byBytes = bytes != null && bytesEnd - bytesStart == n;
        int step = Math.max(1, len >>> 4);
        int h = len;
        for (int k = from; k < n; k += step) {
            h = 31 * h + m.charAt(k);
        }
        h = 31 * h + m.charAt(n - 1);
        int slot = (h ^ (h >>> 16)) & (RECENT_TEXTS - 1);
        String seen = recentTexts[slot];
        if (seen != null && seen.length() == len) {
            byte[] seenBytes = recentBytes[slot];
            if (byBytes && seenBytes != null
                    ? Arrays.equals(seenBytes, 0, len, bytes, bytesStart + from, bytesEnd)
                    : sameText(m, from, seen, len)) {
                return seen;
            }
        }
        String fresh = m.substring(from);
        if (len <= RECENT_TEXT_MAX_LENGTH) {
            recentTexts[slot] = fresh;
            recentBytes[slot] = byBytes ? Arrays.copyOfRange(bytes, bytesStart + from, bytesEnd) : null;
        }
        return fresh;
    }

    /**
     * Whether {@code m} from {@code from} on is {@code seen}, of {@code len} characters (at most
     * {@link #RECENT_TEXT_MAX_LENGTH}): both copied into {@link #scratch} and compared as arrays,
     * which runs several characters at a time, where {@code String.regionMatches} compares one
     * at a time on JDK 17 (8% of a one-thread csvlog run, whose messages come without bytes).
     */
    private boolean sameText(String m, int from, String seen, int len) {
        m.getChars(from, from + len, scratch, 0);
        seen.getChars(0, len, scratch, len);
        return Arrays.equals(scratch, 0, len, scratch, len, 2 * len);
    }

    /** Parses {@code 12.345 ms} at {@code from} into {@link #duration}; returns the index after it or -1. */
    private int parseDuration(String m, int from) {
        int n = m.length();
        int i = from;
        long whole = 0;
        while (i < n && m.charAt(i) >= '0' && m.charAt(i) <= '9' && i - from < 18) {
            whole = whole * 10 + (m.charAt(i) - '0');
            i++;
        }
        if (i == from) {
            return -1;
        }
        double value = whole;
        if (i < n && m.charAt(i) == '.') {
            i++;
            long frac = 0;
            long scale = 1;
            while (i < n && m.charAt(i) >= '0' && m.charAt(i) <= '9') {
                if (scale < 1_000_000_000L) {
                    frac = frac * 10 + (m.charAt(i) - '0');
                    scale *= 10;
                }
                i++;
            }
            value += (double) frac / scale;
        }
        if (!m.startsWith(" ms", i)) {
            return -1;
        }
        duration = value;
        return i + 3;
    }
}
