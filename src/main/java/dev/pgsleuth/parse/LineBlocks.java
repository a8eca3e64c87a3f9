package dev.pgsleuth.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Cuts a byte stream into blocks of whole lines, so that the lines of each block can be parsed on
 * a worker thread while the next block is read. The reading thread only looks for the last line
 * end of each block (for csvlog, the last one before a record's start). A line longer than {@code maxLine}
 * comes as a block of its own holding its first bytes, {@link Block#overlong} set, and the rest of
 * it is skipped, as {@link LineReader} does.
 */
final class LineBlocks {
    /**
     * Whole lines {@code bytes[0, length)} starting at {@code offset} in the stream; the last
     * line lacks its line end only at the end of the stream.
     */
    record Block(byte[] bytes, int length, long offset, boolean overlong) {
    }

    /** Bytes in a block: one task of a worker thread. */
    static final int BLOCK_BYTES = 256 << 10;
    /**
     * Blocks given to the workers ahead of the reading thread: 2 MB of log. Everything in flight is
     * live when a young collection comes, and a collection copies what is live: with 16 MB ahead
     * (and 32 batches of entries, {@code ParallelNormalizer}) a fresh two-thread process spent
     * 114-129 ms of 1.1 s in collections on a 100 MB stderr log and 500 ms of 4.8 s on 1 GB;
     * with 2 MB (and 4 batches) 45-60 and 110 ms, 6-10% sooner (csvlog 10%, jsonlog 1-2%).
     * Warm runs without a collection, where only the worker's idling counts, gave the same
     * (paired: stderr 1.009, csvlog 1.037, jsonlog 0.993), though on an earlier, noisier
     * machine 16 MB ahead had been 8% faster there than 8 MB in blocks of 1 MB.
     */
    static final int AHEAD = 8;

    /**
     * Buffers of blocks whose lines were handed on ({@link #reuse}), the last one first, likely
     * still in the cache. Reading into one of them rather than into a new array spares zeroing
     * 256 KB a block and writing it out to memory, which the one-thread read, in one buffer of its
     * own, never did: two threads 2-3% sooner (paired, 80 rounds: stderr 1.023, csvlog 1.023,
     * jsonlog 1.030); a fresh process on 1 GB of stderr 4.4 s instead of 4.5-4.7, RSS 1.0 GB
     * instead of 1.5.
     */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final InputStream in;
    private final int blockSize;
    private final int maxLine;
    /** Cut only where a csvlog record starts (its quoted text holds raw newlines). */
    private final boolean csvlog;
    private boolean eof;
    /** Bytes after the last line end of the previous block: the start of the next line. */
    private byte[] tail = new byte[0];
    private int tailLength;
    private long tailOffset;

    LineBlocks(InputStream in, int blockSize, int maxLine) {
        this(in, blockSize, maxLine, false);
    }

    /**
     * With {@code csvlog} (whose records may hold raw newlines in quoted text), blocks end
     * at a line end followed by what starts a record, a log_time; failing that, at a line end after
     * an even number of double quotes since the block's start. Either can be misled (a record's
     * text may hold a line that starts with a time, a stray quote flips the count): a reader must
     * check that each block ended at a record's end. When no record ends within {@code maxLine}
     * bytes, they come whole as an overlong block, for the caller to read on from there itself.
     */
    LineBlocks(InputStream in, int blockSize, int maxLine, boolean csvlog) {
        this.in = in;
        this.blockSize = blockSize;
        this.maxLine = maxLine;
        this.csvlog = csvlog;
    }

    /** The input after the last block handed out. */
    InputStream rest() {
        return new SequenceInputStream(new ByteArrayInputStream(tail, 0, tailLength), in);
    }

    /**
     * Takes back the bytes of a block handed out by {@link #next} whose lines nothing reads any
     * more: a later block may be read into them.
     */
    void reuse(byte[] bytes) {
        if (bytes.length == blockSize && spare.size() < AHEAD) {
            spare.push(bytes);
        }
    }

    /** The next block, or {@code null} at the end of the stream. */
    Block next() throws IOException {
        byte[] buf = tailLength * 2 <= blockSize && !spare.isEmpty() ? spare.pop()
                : new byte[Math.max(blockSize, tailLength * 2)];
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
            int last = csvlog ? lastRecordEnd(buf, limit) : lastNewline(buf, scanned, limit);
            if (last >= 0) {
                keepTail(buf, last + 1, limit, offset + last + 1);
                return new Block(buf, last + 1, offset, false);
            }
            if (eof) {
                tailLength = 0;
                return limit == 0 ? null : new Block(buf, limit, offset, false);
            }
            if (limit >= maxLine) {
                if (csvlog) {
                    // no record end in sight: the caller reads on from here itself
                    tailLength = 0;
                    return new Block(buf, limit, offset, true);
                }
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
        int kept = Math.min(limit, LineReader.OVERLONG_SAMPLE);
        Block b = new Block(Arrays.copyOf(buf, kept), kept, offset, true);
        long skipped = limit;
        byte[] scratch = buf;
        while (true) {
            int n = in.read(scratch, 0, scratch.length);
            if (n < 0) {
                eof = true;
                tailLength = 0;
                return b;
            }
            int nl = ByteScan.indexOfNewline(scratch, 0, n);
            if (nl >= 0) {
                keepTail(scratch, nl + 1, n, offset + skipped + nl + 1);
                return b;
            }
            skipped += n;
        }
    }

    /**
     * The last {@code \n} of {@code b[0, to)} followed by a log_time ({@code YYYY-MM-DD HH:MM:SS}),
     * found from the end: a look at the last lines only, where counting quotes reads every byte of
     * the block on the reading thread (two threads 5–9% faster on the benchmark's csvlog, paired in
     * one JVM); else {@link #lastUnquotedNewline}.
     */
    private static int lastRecordEnd(byte[] b, int to) {
        for (int nl = lastNewline(b, 0, to); nl >= 0; nl = lastNewline(b, 0, nl)) {
            if (TimestampParser.secondAt(b, nl + 1, to)) {
                return nl;
            }
        }
        return lastUnquotedNewline(b, to);
    }

    /** The last {@code \n} of {@code b[0, to)} with an even number of {@code "} before it, or -1. */
    private static int lastUnquotedNewline(byte[] b, int to) {
        int quotes = ByteScan.countQuotes(b, 0, to);
        for (int i = to - 1; i >= 0; i--) {
            byte c = b[i];
            if (c == '"') {
                quotes--;
            } else if (c == '\n' && (quotes & 1) == 0) {
                return i;
            }
        }
        return -1;
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
