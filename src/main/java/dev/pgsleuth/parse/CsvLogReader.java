package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads {@code log_destination=csvlog} files of PostgreSQL 8.4 to 17: 22 columns (8.4), 23 (9.0–12,
 * with application_name), 24 (13, backend_type) and 26 (14+, leader_pid and query_id); columns are
 * positional, extra trailing columns are ignored.
 *
 * <p>PostgreSQL quotes text with {@code "} and only doubles embedded quotes, so newlines inside a
 * statement are raw and one record spans many physical lines. The reader is therefore a byte-level
 * state machine over the whole stream rather than a line splitter. A record it cannot read (a stray
 * quote, fewer than 22 columns, an unterminated quote at the end) is counted in {@link UnparsedLines}
 * and skipped.
 */
public final class CsvLogReader implements FormatReader {

    /** Fewest columns of any csvlog version (8.4). */
    static final int MIN_COLUMNS = 22;
    /** Columns beyond these are not read. */
    private static final int MAX_COLUMNS = 40;
    /** A record longer than this is counted as unparsed rather than held in memory. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_SEEN = 3;

    public CsvLogReader() {
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        return new Run(sourceName, out, unparsed).read(in);
    }

    /** The state of one {@link #read}; the record buffer is reused across records. */
    private static final class Run {
        private final String source;
        private final Consumer<LogEntry.Builder> out;
        private final UnparsedLines unparsed;
        private final RecordTimestamps timestamps = new RecordTimestamps();

        private byte[] rec = new byte[8192];
        private int recLen;
        private final int[] fieldStart = new int[MAX_COLUMNS];
        private final int[] fieldEnd = new int[MAX_COLUMNS];
        private final boolean[] fieldQuoted = new boolean[MAX_COLUMNS];
        private int fields;
        private int curStart;
        private boolean curQuoted;
        private boolean bad;
        private boolean oversized;
        private int state = FIELD_START;
        private boolean recordOpen;

        private long offset;
        private long line = 1;
        private long recOffset;
        private long recLine = 1;
        private String lastSessionId;
        private byte[] lastSessionBytes = new byte[0];

        Run(String source, Consumer<LogEntry.Builder> out, UnparsedLines unparsed) {
            this.source = source;
            this.out = out;
            this.unparsed = unparsed;
        }

        long read(InputStream in) throws IOException {
            byte[] buf = new byte[1 << 16];
            int n;
            boolean lastWasNewline = true;
            while ((n = in.read(buf)) > 0) {
                scan(buf, n);
                lastWasNewline = buf[n - 1] == '\n';
            }
            if (recordOpen) {
                if (state == QUOTED) {
                    bad = true;
                }
                endField();
                endRecord();
            }
            return lastWasNewline ? line - 1 : line;
        }

        private void scan(byte[] buf, int n) {
            int i = 0;
            while (i < n) {
                byte b = buf[i];
                if (!recordOpen) {
                    recordOpen = true;
                    recOffset = offset + i;
                    recLine = line;
                }
                switch (state) {
                    case QUOTED -> {
                        // the bulk of a csvlog is quoted text: copy the run up to the next quote at once
                        int j = i;
                        while (j < n && buf[j] != '"') {
                            if (buf[j] == '\n') {
                                line++;
                            }
                            j++;
                        }
                        append(buf, i, j - i);
                        if (j < n) {
                            state = QUOTE_SEEN;
                            j++;
                        }
                        i = j;
                        continue;
                    }
                    case QUOTE_SEEN -> {
                        if (b == '"') {
                            append(buf, i, 1);
                            state = QUOTED;
                        } else if (b == ',') {
                            endField();
                            state = FIELD_START;
                        } else if (b == '\n') {
                            line++;
                            endField();
                            endRecord();
                        } else if (b != '\r') {
                            bad = true;
                            append(buf, i, 1);
                            state = UNQUOTED;
                        }
                    }
                    case FIELD_START -> {
                        curStart = recLen;
                        if (b == '"') {
                            curQuoted = true;
                            state = QUOTED;
                        } else {
                            curQuoted = false;
                            state = UNQUOTED;
                            unquoted(buf, i, b);
                        }
                    }
                    default -> {
                        // timestamps, numbers and codes: copy up to the next special byte at once
                        int j = i;
                        while (j < n && !isSpecial(buf[j])) {
                            j++;
                        }
                        if (j > i) {
                            append(buf, i, j - i);
                            i = j;
                            continue;
                        }
                        unquoted(buf, i, b);
                    }
                }
                i++;
            }
            offset += n;
        }

        private static boolean isSpecial(byte b) {
            return b == ',' || b == '\n' || b == '"' || b == '\r';
        }

        private void unquoted(byte[] buf, int i, byte b) {
            if (b == ',') {
                endField();
                state = FIELD_START;
            } else if (b == '\n') {
                line++;
                endField();
                endRecord();
            } else if (b == '"') {
                // PostgreSQL never writes a quote inside an unquoted field
                bad = true;
                append(buf, i, 1);
            } else if (b != '\r') {
                append(buf, i, 1);
            }
        }

        private void append(byte[] buf, int from, int len) {
            if (len == 0 || oversized) {
                return;
            }
            if (recLen + len > rec.length) {
                if (recLen + len > MAX_RECORD_BYTES) {
                    oversized = true;
                    bad = true;
                    return;
                }
                byte[] bigger = new byte[Math.max(rec.length * 2, recLen + len)];
                System.arraycopy(rec, 0, bigger, 0, recLen);
                rec = bigger;
            }
            System.arraycopy(buf, from, rec, recLen, len);
            recLen += len;
        }

        private void endField() {
            if (state == FIELD_START) {
                curStart = recLen;
                curQuoted = false;
            }
            if (fields < MAX_COLUMNS) {
                fieldStart[fields] = curStart;
                fieldEnd[fields] = recLen;
                fieldQuoted[fields] = curQuoted;
            }
            fields++;
            curStart = recLen;
            curQuoted = false;
        }

        private void endRecord() {
            boolean blank = fields == 1 && recLen == 0 && !fieldQuoted[0];
            if (!blank) {
                if (bad || fields < MIN_COLUMNS) {
                    unparsed.add(source, recLine, sample());
                } else {
                    emit();
                }
            }
            recLen = 0;
            fields = 0;
            bad = false;
            oversized = false;
            state = FIELD_START;
            recordOpen = false;
            curStart = 0;
            curQuoted = false;
        }

        private String sample() {
            StringBuilder sb = new StringBuilder();
            int shown = Math.min(fields, MAX_COLUMNS);
            for (int f = 0; f < shown && sb.length() < 300; f++) {
                if (f > 0) {
                    sb.append(',');
                }
                sb.append(new String(rec, fieldStart[f], Math.min(fieldEnd[f] - fieldStart[f], 300),
                        StandardCharsets.UTF_8));
            }
            if (oversized) {
                sb.append("… (record over ").append(MAX_RECORD_BYTES).append(" bytes)");
            }
            return sb.toString();
        }

        private void emit() {
            LogEntry.Builder b = LogEntry.builder();
            b.timestamp(timestamps.parse(rec, fieldStart[0], fieldEnd[0] - fieldStart[0]));
            b.user(text(1));
            b.database(text(2));
            b.pid((int) number(3));
            b.client(text(4));
            b.sessionId(sessionId());
            b.sessionLine(number(6));
            b.severity(severity(11));
            b.sqlState(text(12));
            b.message(text(13));
            b.detail(text(14));
            b.hint(text(15));
            b.internalQuery(text(16));
            b.context(text(18));
            b.statement(text(19));
            if (fields > MIN_COLUMNS) {
                b.application(text(22));
            }
            b.position(new SourcePosition(source, recOffset, recLine));
            out.accept(b);
        }

        /** A column's text, {@code null} when it is empty (csvlog writes NULL as an empty field). */
        private String text(int f) {
            int len = fieldEnd[f] - fieldStart[f];
            return len == 0 ? null : new String(rec, fieldStart[f], len, StandardCharsets.UTF_8);
        }

        /** Consecutive entries mostly come from the same session: reuse its id string. */
        private String sessionId() {
            int s = fieldStart[5];
            int len = fieldEnd[5] - s;
            if (len == 0) {
                return null;
            }
            if (len == lastSessionBytes.length && lastSessionId != null) {
                boolean same = true;
                for (int k = 0; k < len; k++) {
                    if (rec[s + k] != lastSessionBytes[k]) {
                        same = false;
                        break;
                    }
                }
                if (same) {
                    return lastSessionId;
                }
            }
            lastSessionBytes = Arrays.copyOfRange(rec, s, s + len);
            lastSessionId = new String(lastSessionBytes, StandardCharsets.US_ASCII);
            return lastSessionId;
        }

        private long number(int f) {
            int s = fieldStart[f];
            int e = fieldEnd[f];
            if (s == e || e - s > 18) {
                return -1;
            }
            long v = 0;
            for (int k = s; k < e; k++) {
                int d = rec[k] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        private Severity severity(int f) {
            int s = fieldStart[f];
            int len = fieldEnd[f] - s;
            if (len == 3 && rec[s] == 'L' && rec[s + 1] == 'O' && rec[s + 2] == 'G') {
                return Severity.LOG;
            }
            return len == 0 ? null : Severity.fromLogWord(new String(rec, s, len, StandardCharsets.US_ASCII));
        }
    }
}
