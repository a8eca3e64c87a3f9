package dev.pgsleuth.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a byte stream into blocks of whole lines, so that the lines of each block can be parsed on
 * a worker thread while the next block is read. The reading thread only looks for the last line
 * end of each block. A line longer than {@code maxLine} comes as a block of its own holding its
 * first bytes, {@link Block#overlong} set, and the rest of it is skipped, as {@link LineReader}
 * does.
 */
final class LineBlocks {
    /**
     * Whole lines {@code bytes[0, length)} starting at {@code offset} in the stream; the last
     * line lacks its line end only at the end of the stream.
     */
    record Block(byte[] bytes, int length, long offset, boolean overlong) {
    }

    private final InputStream in;
    private final int blockSize;
    private final int maxLine;
    private boolean eof;
    /** Bytes after the last line end of the previous block: the start of the next line. */
    private byte[] tail = new byte[0];
    private int tailLength;
    private long tailOffset;

    LineBlocks(InputStream in, int blockSize, int maxLine) {
        this.in = in;
        this.blockSize = blockSize;
        this.maxLine = maxLine;
    }

    /** The next block, or {@code null} at the end of the stream. */
    Block next() throws IOException {
        byte[] buf = new byte[Math.max(blockSize, tailLength * 2)];
        System.arraycopy(tail, 0, buf, 0, tailLength);
        int limit = tailLength;
        long offset = tailOffset;
        // the tail holds no line end: the search starts after it
        int scanned = tailLength;
        while (true) {
            while (limit < buf.length && !eof) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    eof = true;
                } else {
                    limit += n;
                }
            }
            int last = lastNewline(buf, scanned, limit);
            if (last >= 0) {
                keepTail(buf, last + 1, limit, offset + last + 1);
                return new Block(buf, last + 1, offset, false);
            }
            if (eof) {
                tailLength = 0;
                return limit == 0 ? null : new Block(buf, limit, offset, false);
            }
            if (limit >= maxLine) {
                return overlong(buf, limit, offset);
            }
            scanned = limit;
            buf = Arrays.copyOf(buf, (int) Math.min(buf.length * 2L, maxLine + 1L));
        }
    }

    private void keepTail(byte[] buf, int from, int limit, long offset) {
        tailLength = limit - from;
        if (tail.length < tailLength) {
            tail = new byte[Math.max(tailLength, tail.length * 2)];
        }
        System.arraycopy(buf, from, tail, 0, tailLength);
        tailOffset = offset;
    }

    /** The first bytes of a line with no end within {@code maxLine}; skips the rest of it. */
    private Block overlong(byte[] buf, int limit, long offset) throws IOException {
        Block b = new Block(Arrays.copyOf(buf, LineReader.OVERLONG_SAMPLE), Math.min(limit, LineReader.OVERLONG_SAMPLE), offset, true);
        long skipped = limit;
        byte[] scratch = buf;
        while (true) {
            int n = in.read(scratch, 0, scratch.length);
            if (n < 0) {
                eof = true;
                tailLength = 0;
                return b;
            }
            int nl = LineReader.indexOfNewline(scratch, 0, n);
            if (nl >= 0) {
                keepTail(scratch, nl + 1, n, offset + skipped + nl + 1);
                return b;
            }
            skipped += n;
        }
    }

    private static int lastNewline(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
