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

    private JsonLineSplitter() {
    }

    /** Reads {@code in} to its end; returns the number of lines. */
    static long split(InputStream in, LineHandler handler) throws IOException {
        byte[] buf = new byte[1 << 16];
        int start = 0;
        int end = 0;
        long bufOffset = 0;
        long lineNumber = 0;
        boolean skipping = false;
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
            int i;
            while ((i = ByteScan.indexOfNewline(buf, scanFrom, end)) >= 0) {
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
