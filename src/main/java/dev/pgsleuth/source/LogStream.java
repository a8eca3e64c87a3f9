package dev.pgsleuth.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The decompressed bytes of one {@link LogInput}. A damaged compressed stream (truncated or
 * corrupt) ends the stream early instead of failing: the bytes decoded before the damage are
 * read, and {@link #damage()} then says what happened. Failures of the underlying file are
 * still thrown.
 */
public final class LogStream extends InputStream {
    private final InputStream raw;
    private final FailureTracking tracked;
    private final Compression compression;
    private InputStream decoded;
    private String damage;

    LogStream(InputStream raw, Compression compression) throws IOException {
        this.tracked = new FailureTracking(raw);
        this.raw = raw;
        this.compression = compression;
        try {
            this.decoded = compression.decode(tracked);
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
        }
    }

    private void damaged(Exception e) throws IOException {
        if (tracked.failure != null) {
            throw tracked.failure;
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
