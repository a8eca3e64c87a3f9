package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Formats that carry PostgreSQL's message in numbered pieces behind a header of their own
 * (syslog's and Heroku's {@code [seq-chunk]}): the header gives time and pid, the pieces of one
 * message are put back together into stderr lines, which are then read with the prefix.
 */
abstract class ChunkedReader implements FormatReader {
    /** Physical lines a half-assembled line waits for its next piece. */
    private static final int PIECE_WINDOW = 32;

    private final String prefixText;
    private String used;

    ChunkedReader(String prefix) {
        this.prefixText = prefix;
        this.used = prefix;
    }

    /** What one header line says. */
    static final class Header {
        OffsetDateTime timestamp;
        int pid;
        long seq;
        int chunk;
        int textStart;
        String database;

        void reset() {
            timestamp = null;
            pid = -1;
            seq = -1;
            chunk = -1;
            textStart = -1;
            database = null;
        }
    }

    /** Reads the header of {@code b[s, e)} into {@code h}; false when the line has none. */
    abstract boolean header(byte[] b, int s, int e, Header h);

    /**
     * True when a later piece that is neither a new prefixed line nor a tab-continued one is the
     * rest of the same line (syslog cuts long lines); false when it is a new line (Heroku).
     */
    abstract boolean piecesSplitLines();

    /** The prefix the last {@link #read} used, given or inferred; {@code null} before. */
    public String prefix() {
        return used;
    }

    /** The stderr-form text of the sniffed lines that start a message, for prefix inference. */
    List<byte[]> messageLines(Sniff sniff) {
        Header h = new Header();
        List<byte[]> out = new ArrayList<>();
        for (byte[] l : sniff.lines()) {
            h.reset();
            if (header(l, 0, l.length, h) && h.chunk <= 1) {
                byte[] text = Arrays.copyOfRange(l, h.textStart, l.length);
                out.add(Arrays.copyOf(text, restoreTabs(text, 0, text.length, text)));
            }
        }
        return out;
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        PrefixInference.PrefixedInput chosen = PrefixInference.prefixed(in, prefixText, this::messageLines, "");
        used = chosen.prefix();
        InputStream input = chosen.input();
        StderrLines lines = new StderrLines(LogLinePrefix.compile(used), sourceName, out, unparsed);
        Map<Integer, Piece> pending = new LinkedHashMap<>();
        Header h = new Header();
        byte[] scratch = new byte[1024];
        LineReader lr = new LineReader(input);
        while (lr.next()) {
            if (lr.overlong) {
                unparsed.add(sourceName, lr.number,
                        StderrLines.overlong(LineReader.DEFAULT_MAX_LINE, lr.buf, lr.start, lr.end));
                continue;
            }
            if (lr.end == lr.start) {
                continue;
            }
            h.reset();
            if (!header(lr.buf, lr.start, lr.end, h)) {
                unparsed.add(sourceName, lr.number, StderrLines.sample(lr.buf, lr.start, lr.end));
                continue;
            }
            int n = lr.end - h.textStart;
            if (scratch.length < n + 1) {
                scratch = new byte[Math.max(n + 1, scratch.length * 2)];
            }
            System.arraycopy(lr.buf, h.textStart, scratch, 0, n);
            n = restoreTabs(scratch, 0, n, scratch);
            Piece open = pending.get(h.pid);
            if (open != null && h.chunk > 1 && open.seq == h.seq) {
                if (n > 0 && scratch[0] == '\t' || lines.matches(scratch, 0, n)) {
                    flush(lines, pending.remove(h.pid));
                    start(pending, h, scratch, 0, n, lr);
                } else if (piecesSplitLines()) {
                    open.append(scratch, 0, n);
                    open.lastLine = lr.number;
                    pending.remove(h.pid);
                    pending.put(h.pid, open);
                } else {
                    flush(lines, pending.remove(h.pid));
                    scratch = withTab(scratch, n);
                    start(pending, h, scratch, 0, n + 1, lr);
                }
            } else {
                if (open != null) {
                    flush(lines, pending.remove(h.pid));
                }
                start(pending, h, scratch, 0, n, lr);
            }
            for (Iterator<Piece> it = pending.values().iterator(); it.hasNext(); ) {
                Piece p = it.next();
                if (lr.number - p.lastLine <= PIECE_WINDOW) {
                    break;
                }
                it.remove();
                flush(lines, p);
            }
        }
        for (Piece p : pending.values()) {
            flush(lines, p);
        }
        lines.finish();
        return lr.number;
    }

    private static byte[] withTab(byte[] b, int n) {
        byte[] t = b.length > n ? b : Arrays.copyOf(b, n + 1);
        System.arraycopy(t, 0, t, 1, n);
        t[0] = '\t';
        return t;
    }

    private static void start(Map<Integer, Piece> pending, Header h, byte[] b, int s, int e, LineReader lr) {
        Piece p = new Piece(h, lr.offset, lr.number);
        p.append(b, s, e - s);
        pending.put(h.pid, p);
    }

    private static void flush(StderrLines lines, Piece p) {
        lines.line(p.bytes, 0, p.length, p.offset, p.line, p.timestamp, p.pid, p.database);
    }

    /** rsyslog writes a tab as {@code #011}; puts the tabs back, returns the new length. */
    static int restoreTabs(byte[] src, int s, int e, byte[] dst) {
        int w = 0;
        for (int i = s; i < e; i++) {
            if (src[i] == '#' && i + 3 < e && src[i + 1] == '0' && src[i + 2] == '1' && src[i + 3] == '1') {
                dst[w++] = '\t';
                i += 3;
            } else {
                dst[w++] = src[i];
            }
        }
        return w;
    }

    /** One stderr line being put together from pieces. */
    private static final class Piece {
        final OffsetDateTime timestamp;
        final int pid;
        final long seq;
        final String database;
        final long offset;
        final long line;
        long lastLine;
        byte[] bytes = new byte[256];
        int length;

        Piece(Header h, long offset, long line) {
            this.timestamp = h.timestamp;
            this.pid = h.pid;
            this.seq = h.seq;
            this.database = h.database;
            this.offset = offset;
            this.line = line;
            this.lastLine = line;
        }

        void append(byte[] b, int s, int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            }
            System.arraycopy(b, s, bytes, length, n);
            length += n;
        }
    }

    /** Reads {@code [seq-chunk] } or {@code [seq] } at {@code p}; returns the text start, or {@code p} when absent. */
    static int chunkMarker(byte[] b, int p, int e, Header h) {
        if (p >= e || b[p] != '[') {
            return p;
        }
        int q = p + 1;
        long seq = 0;
        int start = q;
        while (q < e && TimestampParser.digit(b[q])) {
            seq = seq * 10 + (b[q] - '0');
            q++;
        }
        if (q == start || q >= e) {
            return p;
        }
        int chunk = 1;
        if (b[q] == '-') {
            q++;
            int cs = q;
            chunk = 0;
            while (q < e && TimestampParser.digit(b[q])) {
                chunk = chunk * 10 + (b[q] - '0');
                q++;
            }
            if (q == cs) {
                return p;
            }
        }
        if (q >= e || b[q] != ']') {
            return p;
        }
        q++;
        h.seq = seq;
        h.chunk = chunk;
        if (q < e && b[q] == ' ') {
            q++;
        }
        return q;
    }
}
