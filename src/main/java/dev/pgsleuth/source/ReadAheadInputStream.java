package dev.pgsleuth.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongSupplier;

/**
 * The bytes of another stream, read ahead by a daemon thread so that producing them (inflating
 * a gzip stream, say) runs beside the thread that consumes them instead of adding to its time.
 *
 * <p>The thread reads blocks into a bounded queue, so at most {@link #QUEUED_BLOCKS} blocks wait
 * (plus one being filled and one being read): memory stays bounded whatever the stream's size.
 * The first blocks are small and grow to {@link #BLOCK_BYTES}, so that a reader that wants only
 * the head of the stream gets it at once. A failure of the source (an {@link IOException} of a
 * truncated stream, a {@link RuntimeException} of a decoder) is thrown to the reader, as the same
 * instance, once the bytes read before it have been handed on. The source is closed by the
 * thread when it stops: at the end of the stream, on a failure, or when this stream is closed.
 */
final class ReadAheadInputStream extends InputStream {
    static final String THREAD_NAME = "pgsleuth-decompress";
    static final int BLOCK_BYTES = 1 << 20;
    static final int QUEUED_BLOCKS = 3;
    private static final int FIRST_BLOCK_BYTES = 1 << 16;
    /**
     * The most asked of the source in one read. A decoder may drop what it produced in the read
     * that meets the damage (bzip2 does), so a block is filled by reads no larger than a
     * reader's would be: a truncated stream gives as many bytes as when read directly.
     */
    private static final int READ_BYTES = 1 << 16;

    /** A run of bytes, or with {@code bytes == null} the end of the stream (with its failure, if any). */
    private record Block(byte[] bytes, int length, long sourcePosition, Throwable failure) {
        boolean last() {
            return bytes == null;
        }
    }

    private final BlockingQueue<Block> filled = new ArrayBlockingQueue<>(QUEUED_BLOCKS);
    /** Arrays the reader is done with, reused by the thread so that a long stream allocates only a few. */
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUED_BLOCKS + 2);
    private final Thread thread;
    private volatile boolean closed;

    private Block current;
    private int pos;
    private long sourcePosition;

    /**
     * Starts reading {@code source} ahead.
     *
     * @param sourcePosition how far the source's own source has been read (e.g. compressed bytes
     *                       consumed); called on the read-ahead thread after each block, and
     *                       handed to the reader with that block as {@link #sourcePosition()}
     */
    ReadAheadInputStream(InputStream source, LongSupplier sourcePosition) {
        Objects.requireNonNull(source);
        Objects.requireNonNull(sourcePosition);
        this.sourcePosition = sourcePosition.getAsLong();
        this.thread = new Thread(() -> fill(source, sourcePosition), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The source position sampled when the bytes handed out so far had been produced, so that
     * progress counted on the reading thread follows what was really consumed.
     */
    long sourcePosition() {
        return sourcePosition;
    }

    /** The read-ahead thread; it ends at the end of the stream, on a failure, or soon after {@link #close()}. */
    Thread thread() {
        return thread;
    }

    private void fill(InputStream source, LongSupplier position) {
        try {
            int limit = FIRST_BLOCK_BYTES;
            while (!closed) {
                byte[] bytes = spare.poll();
                if (bytes == null) {
                    bytes = new byte[BLOCK_BYTES];
                }
                int n = 0;
                boolean end = false;
                Throwable failure = null;
                try {
                    while (n < limit && !closed) {
                        int r = source.read(bytes, n, Math.min(READ_BYTES, limit - n));
                        if (r < 0) {
                            end = true;
                            break;
                        }
                        n += r;
                    }
                } catch (Throwable t) {
                    // handed to the reader after the bytes read before it, like a direct read would
                    failure = t;
                }
                if (closed) {
                    return;
                }
                if (n > 0) {
                    filled.put(new Block(bytes, n, position.getAsLong(), null));
                }
                if (end || failure != null) {
                    filled.put(new Block(null, 0, position.getAsLong(), failure));
                    return;
                }
                limit = Math.min(limit * 2, BLOCK_BYTES);
            }
        } catch (InterruptedException e) {
            // only close() interrupts this thread: nobody reads any more
        } finally {
            try {
                source.close();
            } catch (IOException | RuntimeException ignored) {
                // the bytes were read or are no longer wanted; a failing close changes neither
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (!hasBytes()) {
            return -1;
        }
        return current.bytes[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            ensureOpen();
            return 0;
        }
        if (!hasBytes()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current.bytes, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return current == null ? 0 : current.length - pos;
    }

    /**
     * Makes the current block have unread bytes, waiting for the thread if need be.
     *
     * @return false at the end of the stream
     */
    private boolean hasBytes() throws IOException {
        ensureOpen();
        while (current == null || pos == current.length) {
            if (current != null && current.last()) {
                rethrow(current.failure);
                return false;
            }
            Block next;
            try {
                next = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + THREAD_NAME);
            }
            if (current != null && current.bytes != null) {
                spare.offer(current.bytes);
            }
            current = next;
            pos = 0;
            sourcePosition = next.sourcePosition;
        }
        return true;
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new IOException(failure);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /** Stops the thread: it is interrupted, drops what it read, and closes the source. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        filled.clear();
        current = null;
    }
}
