package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.function.Consumer;

/**
 * The line handling shared by every format whose text is stderr lines with a
 * {@code log_line_prefix} (stderr itself, syslog, Heroku, Cloud SQL): prefix lines, sibling
 * lines, tab-continued lines, and what is left over.
 */
final class StderrLines {
    private static final int SAMPLE_BYTES = 400;

    final LogLinePrefix prefix;
    /** The prefix with {@code %q} before its session part, for background lines; or null. */
    private final LogLinePrefix sessionStop;
    private final LogLinePrefix.Match m = new LogLinePrefix.Match();
    private final EntryAssembler assembler;
    private final UnparsedLines unparsed;
    private final String source;

    StderrLines(LogLinePrefix prefix, String source, Consumer<LogEntry.Builder> out, UnparsedLines unparsed) {
        this.prefix = prefix;
        String stop = LogLinePrefix.withSessionStop(prefix.text());
        this.sessionStop = stop == null ? null : LogLinePrefix.compile(stop);
        this.source = source;
        this.unparsed = unparsed;
        this.assembler = new EntryAssembler(source, out);
    }

    /** One physical stderr line, with no defaults from an outer header. */
    void line(byte[] b, int s, int e, long offset, long lineNo) {
        line(b, s, e, offset, lineNo, null, -1, null);
    }

    /**
     * One physical stderr line; {@code timestamp} and {@code pid} (or null / -1) come from an
     * outer header (syslog, Heroku, Cloud SQL) and fill what the prefix does not give, as does
     * {@code database} (Heroku's attachment name), or null.
     */
    void line(byte[] b, int s, int e, long offset, long lineNo, OffsetDateTime timestamp, int pid, String database) {
        if (e == s) {
            return;
        }
        if (b[s] == 0) {
            // a crash can leave blocks of NUL bytes in front of the next line written
            int from = s;
            while (s < e && b[s] == 0) {
                s++;
            }
            if (s == e) {
                skipped(lineNo, "NUL bytes (" + (e - from) + ")");
                return;
            }
        }
        if (b[s] == '\t') {
            if (!assembler.continuation(decode(b, s + 1, e), lineNo, pid >= 0, pid)) {
                unparsed.add(source, lineNo, "continuation line without an entry: " + sample(b, s, e));
            }
            return;
        }
        if (!matches(b, s, e)) {
            skipped(lineNo, sample(b, s, e));
            return;
        }
        if (m.timestamp == null) {
            m.timestamp = timestamp;
        }
        if (m.pid < 0 && pid >= 0) {
            m.pid = pid;
            if (!m.hasKey) {
                m.key = pid;
                m.hasKey = true;
            }
        }
        if (m.database == null) {
            m.database = database;
        }
        String text = decode(b, m.messageStart, e);
        if (m.kind == LogLinePrefix.PRIMARY) {
            assembler.primary(m, text, offset, lineNo);
        } else if (!assembler.sibling(m, text, lineNo)) {
            skipped(lineNo, "line without its message: " + sample(b, s, e));
        }
    }

    /** Counts a line that is not read; the continuation lines after it are not read either. */
    void skipped(long lineNo, String text) {
        unparsed.add(source, lineNo, text);
        assembler.interrupt();
    }

    /** True when the line starts with the prefix and a severity word (then {@link #m} holds it). */
    boolean matches(byte[] b, int s, int e) {
        if (prefix.match(b, s, e, m) || sessionStop != null && sessionStop.match(b, s, e, m)) {
            return true;
        }
        int after = afterIsoStamp(b, s, e);
        return after > 0 && prefix.match(b, after, e, m);
    }

    /**
     * Where the line goes on after a leading ISO-8601 time and a space, which CloudWatch exports
     * (RDS, Aurora) put before the PostgreSQL line; -1 when there is none.
     */
    static int afterIsoStamp(byte[] b, int s, int e) {
        if (s + 20 > e || b[s + 10] != 'T' || b[s + 4] != '-' || b[s + 13] != ':') {
            return -1;
        }
        int q = s + 19;
        while (q < e && b[q] != ' ') {
            q++;
        }
        return q + 1 < e ? q + 1 : -1;
    }

    void finish() {
        assembler.finish();
    }

    static String decode(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    static String sample(byte[] b, int s, int e) {
        return decode(b, s, Math.min(e, s + SAMPLE_BYTES));
    }
}
