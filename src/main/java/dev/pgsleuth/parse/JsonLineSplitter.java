package dev.pgsleuth.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines of bytes for the one-object-per-line JSON formats, without decoding
 * them: the readers parse the bytes in place. A line longer than {@link #MAX_LINE_BYTES} is handed
 * over as {@code null} (so that it is counted) and skipped to its end.
 */
final class JsonLineSplitter {

    /** Longest line kept; a statement of many megabytes still fits. */
    static final int MAX_LINE_BYTES = 64 << 20;

    /** Receives each line: {@code buf[off, off+len)}, its byte offset and 1-based line number. */
    interface LineHandler {
        void line(byte[] buf, int off, int len, long offset, long lineNumber);
    }

    /**
     * Tries to read the line at {@code buf[off]} before its end is known, with {@code buf[off, end)}
     * the bytes at hand; returns the index of the newline that ends it, or -1 when it did not read
     * it (it is then handed to the {@link LineHandler}).
     */
    interface LineAttempt {
        int line(byte[] buf, int off, int end, long offset, long lineNumber);
    }

    private JsonLineSplitter() {
    }

    /** Reads {@code in} to its end; returns the number of lines. */
    static long split(InputStream in, LineHandler handler) throws IOException {
        return split(in, null, handler);
    }

    /**
     * As {@link #split(InputStream, LineHandler)}, but each line is first offered to {@code attempt}
     * (when not null): a reader that finds the line's end itself spares the search for it.
     */
    static long split(InputStream in, LineAttempt attempt, LineHandler handler) throws IOException {
        byte[] buf = new byte[1 << 16];
        int start = 0;
        int end = 0;
        long bufOffset = 0;
        long lineNumber = 0;
        boolean skipping = false;
        long attempted = -1;
        while (true) {
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    bufOffset += start;
                    end -= start;
                    start = 0;
                } else if (buf.length >= MAX_LINE_BYTES) {
                    // an endless line: report it once, then drop bytes until its newline
                    if (!skipping) {
                        lineNumber++;
                        handler.line(null, 0, 0, bufOffset, lineNumber);
                        skipping = true;
                    }
                    bufOffset += end;
                    end = 0;
                } else {
                    byte[] bigger = new byte[Math.min(MAX_LINE_BYTES, buf.length * 2)];
                    System.arraycopy(buf, 0, bigger, 0, end);
                    buf = bigger;
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n <= 0) {
                break;
            }
            int scanFrom = end;
            end += n;
            while (true) {
                if (attempt != null && !skipping && start < end && bufOffset + start != attempted) {
                    // once per line: a long line arriving in many reads is not read again and again
                    attempted = bufOffset + start;
                    int nl = attempt.line(buf, start, end, bufOffset + start, lineNumber + 1);
                    if (nl >= 0) {
                        lineNumber++;
                        start = nl + 1;
                        scanFrom = start;
                        continue;
                    }
                }
                int i = ByteScan.indexOfNewline(buf, scanFrom, end);
                if (i < 0) {
                    break;
                }
                if (skipping) {
                    skipping = false;
                } else {
                    lineNumber++;
                    int len = i - start;
                    if (len > 0 && buf[i - 1] == '\r') {
                        len--;
                    }
                    handler.line(buf, start, len, bufOffset + start, lineNumber);
                }
                start = i + 1;
                scanFrom = start;
            }
        }
        if (end > start && !skipping) {
            lineNumber++;
            handler.line(buf, start, end - start, bufOffset + start, lineNumber);
        }
        return lineNumber;
    }
}
