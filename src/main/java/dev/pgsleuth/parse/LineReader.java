package dev.pgsleuth.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without decoding it: large reads into one buffer, line ends
 * found on bytes. A line of {@code maxLine} bytes or more is handed out once, cut to its first
 * {@link #OVERLONG_SAMPLE} bytes, with {@link #overlong} set, and the rest of it is skipped.
 */
final class LineReader {
    static final int DEFAULT_MAX_LINE = 64 << 20;
    private static final int INITIAL_BUFFER = 256 << 10;
    /** Bytes of an overlong line handed out. */
    static final int OVERLONG_SAMPLE = 4096;

    private final InputStream in;
    private final int maxLine;
    private boolean eof;
    private boolean skipping;
    private int pos;
    private int limit;
    private int scanned;
    private long consumed;

    /** The buffer holding the current line, valid until the next call to {@link #next()}. */
    byte[] buf;
    /** The current line is {@code buf[start, end)}, without its line end ({@code \n} or {@code \r\n}). */
    int start;
    int end;
    /** Byte offset of the current line in the stream. */
    long offset;
    /** 1-based number of the current line. */
    long number;
    /** The current line was longer than the limit; only its first bytes are in the buffer. */
    boolean overlong;
    /** The current line's bytes are all ASCII (false when not known). */
    boolean ascii;
    /** A byte above 0x7F was seen in the part of the next line scanned so far. */
    private boolean nonAscii;

    LineReader(InputStream in) {
        this(in, DEFAULT_MAX_LINE);
    }

    LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
        this.buf = new byte[Math.min(INITIAL_BUFFER, Math.max(1024, maxLine))];
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        if (skipping && !skipRestOfLine()) {
            return false;
        }
        while (true) {
            long found = ByteScan.newline(buf, scanned, limit);
            nonAscii |= (found & ByteScan.NON_ASCII) != 0;
            int nl = (int) found;
            if (nl >= 0) {
                deliver(nl, nl + 1);
                if (end - start >= maxLine) {
                    // whole in the buffer, but as long as a line that is cut
                    overlong = true;
                    end = start + Math.min(end - start, OVERLONG_SAMPLE);
                }
                return true;
            }
            scanned = limit;
            if (eof) {
                if (pos < limit) {
                    deliver(limit, limit);
                    return true;
                }
                return false;
            }
            if (limit - pos >= maxLine) {
                overlong();
                return true;
            }
            fill();
        }
    }

    private void deliver(int lineEnd, int next) {
        start = pos;
        end = lineEnd;
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        offset = consumed;
        number++;
        overlong = false;
        ascii = !nonAscii;
        nonAscii = false;
        consumed += next - pos;
        pos = next;
        scanned = pos;
    }

    private void overlong() {
        start = pos;
        end = pos + Math.min(limit - pos, OVERLONG_SAMPLE);
        offset = consumed;
        number++;
        overlong = true;
        ascii = false;
        nonAscii = false;
        skipping = true;
    }

    /** Drops the rest of an overlong line; false when the stream ended inside it. */
    private boolean skipRestOfLine() throws IOException {
        skipping = false;
        consumed += limit - pos;
        pos = 0;
        limit = 0;
        scanned = 0;
        while (true) {
            if (limit == 0 && !eof) {
                fill();
            }
            int nl = ByteScan.indexOfNewline(buf, 0, limit);
            if (nl >= 0) {
                consumed += nl + 1;
                pos = nl + 1;
                scanned = pos;
                return true;
            }
            consumed += limit;
            pos = 0;
            limit = 0;
            scanned = 0;
            if (eof) {
                return false;
            }
        }
    }

    /** Reads more bytes, first moving the partial line to the front or growing the buffer. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            scanned -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            int grown = (int) Math.min((long) buf.length * 2, (long) maxLine + 1);
            buf = java.util.Arrays.copyOf(buf, Math.max(grown, buf.length + 1));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }
}
