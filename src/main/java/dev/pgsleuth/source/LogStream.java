package dev.pgsleuth.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The decompressed bytes of one {@link LogInput}. A damaged compressed stream (truncated or
 * corrupt) ends the stream early instead of failing: the bytes decoded before the damage are
 * read, and {@link #damage()} then says what happened. Failures of the underlying file are
 * still thrown. A compressed input is decoded ahead on its own thread
 * ({@link ReadAheadInputStream}); closing the stream stops that thread.
 */
public final class LogStream extends InputStream {
    private final InputStream raw;
    private final FailureTracking tracked;
    private final Compression compression;
    private final LongSupplier rawPosition;
    private final LongConsumer rawBytesRead;
    private ReadAheadInputStream readAhead;
    private InputStream decoded;
    private String damage;
    private long reported;

    /**
     * @param decodeAhead  decode a compressed input on its own thread
     * @param rawPosition  how many bytes of {@code raw} have been read, as stored
     * @param rawBytesRead told on the reading thread how many bytes as stored each read consumed,
     *                     or {@code null}
     */
    LogStream(InputStream raw, Compression compression, boolean decodeAhead, LongSupplier rawPosition,
            LongConsumer rawBytesRead) throws IOException {
        this.tracked = new FailureTracking(raw);
        this.raw = raw;
        this.compression = compression;
        this.rawPosition = rawPosition;
        this.rawBytesRead = rawBytesRead;
        try {
            InputStream d = compression.decode(tracked);
            if (decodeAhead && compression != Compression.NONE) {
                // decompression runs beside the parser instead of adding to its time; a plain
                // file is read directly: 100 MB from the page cache take ~16 ms of the reading
                // thread, about what handing blocks between threads would cost
                readAhead = new ReadAheadInputStream(d, rawPosition);
                d = readAhead;
            }
            this.decoded = d;
        } catch (IOException e) {
            damaged(e);
        }
    }

    /** The compression the content was recognized as: {@code gzip}, {@code bzip2}, {@code xz}, {@code zstd}, or empty. */
    public String compression() {
        return compression.label;
    }

    /** What ended the stream early, e.g. {@code truncated gzip stream}, or {@code null} when nothing did. */
    public String damage() {
        return damage;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (decoded == null) {
            return -1;
        }
        try {
            return decoded.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            damaged(e);
            return -1;
        } finally {
            report();
        }
    }

    private void report() {
        if (rawBytesRead == null) {
            return;
        }
        long at = readAhead != null ? readAhead.sourcePosition() : rawPosition.getAsLong();
        if (at > reported) {
            rawBytesRead.accept(at - reported);
            reported = at;
        }
    }

    private void damaged(Exception e) throws IOException {
        if (tracked.failure != null) {
            throw tracked.failure;
        }
        if (e instanceof InterruptedIOException interrupted) {
            throw interrupted;
        }
        if (e instanceof RuntimeException re && compression == Compression.NONE) {
            throw re;
        }
        decoded = null;
        String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        boolean truncated = e instanceof EOFException || msg.contains("end of") || msg.contains("truncated")
                || msg.contains("eof");
        damage = (truncated ? "truncated " : "corrupt ") + compression.label + " stream"
                + (truncated || e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    @Override
    public void close() throws IOException {
        if (readAhead != null) {
            readAhead.close();
        }
        raw.close();
    }

    /** Remembers a failure of the file itself, so it is not mistaken for damaged content. */
    private static final class FailureTracking extends InputStream {
        private final InputStream in;
        IOException failure;

        FailureTracking(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
