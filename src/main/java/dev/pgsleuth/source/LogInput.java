package dev.pgsleuth.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One log to read: a file or standard input. {@link #open()} recognizes compression by content
 * (gzip, bzip2, xz, zstd), whatever the file is called.
 */
public final class LogInput {
    private static final int MAGIC_BYTES = 6;

    private final String name;
    private final Path path;
    private final Supplier<InputStream> stream;
    private final LongConsumer rawBytesRead;

    private LogInput(String name, Path path, Supplier<InputStream> stream, LongConsumer rawBytesRead) {
        this.name = name;
        this.path = path;
        this.stream = stream;
        this.rawBytesRead = rawBytesRead;
    }

    private LogInput(String name, Path path, Supplier<InputStream> stream) {
        this(name, path, stream, null);
    }

    /**
     * This input, telling {@code rawBytesRead} how many bytes (as stored, before decompression)
     * each read consumed, so that a progress line can compare them with {@link #size()}.
     */
    public LogInput observed(LongConsumer rawBytesRead) {
        return new LogInput(name, path, stream, Objects.requireNonNull(rawBytesRead));
    }

    /** A file; it is not opened until {@link #open()}. */
    public static LogInput of(Path file) {
        return new LogInput(file.toString(), file, null);
    }

    /** Standard input, named {@code -}. */
    public static LogInput stdin() {
        return of("-", () -> System.in);
    }

    /** Any stream under a name (tests, tools); {@link #size()} is -1. */
    public static LogInput of(String name, Supplier<InputStream> stream) {
        return new LogInput(name, null, Objects.requireNonNull(stream));
    }

    /** The file path, or {@code -} for standard input. */
    public String name() {
        return name;
    }

    /** The file, or {@code null} for a stream. */
    public Path path() {
        return path;
    }

    /** Size in bytes as stored (compressed), or -1 when unknown (standard input). */
    public long size() {
        if (path == null) {
            return -1;
        }
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Last modification time, or {@code null} for a stream. */
    Instant lastModified() {
        if (path == null) {
            return null;
        }
        try {
            FileTime t = Files.getLastModifiedTime(path);
            return t.toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Opens the input and returns its decompressed bytes.
     *
     * @throws InputException when the input is missing or unreadable
     */
    public LogStream open() {
        return open(true);
    }

    /**
     * Opens the input; with {@code decodeAhead} false a compressed input is decoded on the reading
     * thread, which is cheaper for a reader that wants only its head (the read-ahead thread would
     * decode up to a few megabytes that nobody reads).
     */
    LogStream open(boolean decodeAhead) {
        InputStream raw;
        if (path != null) {
            raw = openFile(path);
        } else {
            raw = stream.get();
        }
        CountingInputStream counted = new CountingInputStream(raw);
        try {
            PushbackInputStream in = new PushbackInputStream(counted, MAGIC_BYTES);
            byte[] head = new byte[MAGIC_BYTES];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            in.unread(head, 0, n);
            return new LogStream(in, Compression.sniff(head, n), decodeAhead, counted::count, rawBytesRead);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new InputException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private InputStream openFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException("cannot read " + name + ": is a directory");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read " + name + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputException("cannot read " + name + ": permission denied", e);
        } catch (IOException e) {
            throw new InputException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the open failure is what the user needs to see
        }
    }

    /**
     * Counts the bytes read, for whichever thread reads them; {@link LogStream} tells the
     * observer on the reading thread.
     */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
