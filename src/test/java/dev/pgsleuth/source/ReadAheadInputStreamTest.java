package dev.pgsleuth.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ReadAheadInputStreamTest {
    private static final long JOIN_MILLIS = 5_000;

    /**
     * Log-like text of about {@code bytes} bytes, varied enough not to compress to nothing. Some
     * megabytes, so that the read-ahead goes through its growing blocks and reuses their arrays.
     */
    static byte[] text(int bytes) {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder(bytes + 200);
        for (int i = 0; sb.length() < bytes; i++) {
            sb.append("2024-01-01 10:00:").append(10 + i % 50).append(".000 UTC [").append(random.nextInt(90_000))
                    .append("] LOG:  duration: ").append(random.nextInt(1000)).append(".").append(random.nextInt(1000))
                    .append(" ms  statement: SELECT * FROM t").append(random.nextInt(300)).append(" WHERE id = ")
                    .append(random.nextInt(100_000)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final Compression[] FORMATS = {Compression.GZIP, Compression.BZIP2, Compression.XZ,
        Compression.ZSTD};
    private static final byte[] PLAIN = text(2 << 20);
    private static final Map<Compression, byte[]> PACKED = new EnumMap<>(Compression.class);

    @BeforeAll
    static void compressOnce() throws IOException {
        for (Compression format : FORMATS) {
            PACKED.put(format, compress(PLAIN, format));
        }
    }

    static byte[] compress(byte[] data, Compression format) throws IOException {
        LogInputTest.Compressor c = switch (format) {
            case GZIP -> GZIPOutputStream::new;
            case BZIP2 -> o -> new BZip2CompressorOutputStream(o, 1);
            case XZ -> o -> new XZOutputStream(o, new LZMA2Options(1));
            case ZSTD -> ZstdOutputStream::new;
            case NONE -> o -> o;
        };
        return LogInputTest.compress(data, c);
    }

    /** Reads to the end in reads of varied sizes, single bytes included. */
    static byte[] readVaried(InputStream in) throws IOException {
        Random random = new Random(11);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[200_000];
        while (true) {
            if (random.nextInt(10) == 0) {
                int b = in.read();
                if (b < 0) {
                    return out.toByteArray();
                }
                out.write(b);
                continue;
            }
            int off = random.nextInt(100);
            int n = in.read(buf, off, 1 + random.nextInt(buf.length - off - 1));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, off, n);
        }
    }

    /** What a reader gets: the bytes, then the failure that ended them, if any. */
    private record Outcome(byte[] bytes, Throwable failure) {
    }

    private static Outcome readUntilFailure(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try {
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
            }
            return new Outcome(out.toByteArray(), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(out.toByteArray(), e);
        }
    }

    private static ReadAheadInputStream ahead(InputStream source) {
        return new ReadAheadInputStream(source, () -> 0);
    }

    @Test
    void givesTheDecodedBytesOfEveryFormatUnchanged() throws IOException {
        byte[] plain = PLAIN;
        for (Compression format : FORMATS) {
            byte[] packed = PACKED.get(format);
            try (ReadAheadInputStream in = ahead(format.decode(new ByteArrayInputStream(packed)))) {
                assertArrayEquals(plain, readVaried(in), format.label);
                assertEquals(-1, in.read(), format.label);
                assertEquals(-1, in.read(new byte[10], 0, 10), format.label);
            }
        }
    }

    @Test
    void concatenatedGzipMembersAreReadAsOneStream() throws IOException {
        byte[] a = text(1_500_000);
        byte[] b = Arrays.copyOfRange(text(2_500_000), 7, 2_500_000);
        byte[] both = LogInputTest.concat(compress(a, Compression.GZIP), compress(b, Compression.GZIP));
        try (ReadAheadInputStream in = ahead(Compression.GZIP.decode(new ByteArrayInputStream(both)))) {
            assertArrayEquals(LogInputTest.concat(a, b), readVaried(in));
        }
    }

    @Test
    void aTruncatedStreamGivesTheSameBytesAndTheSameFailureAsTheDecoderAlone() throws IOException {
        byte[] plain = PLAIN;
        for (Compression format : FORMATS) {
            byte[] packed = PACKED.get(format);
            byte[] cut = Arrays.copyOf(packed, packed.length * 2 / 3);
            Outcome direct = readUntilFailure(format.decode(new ByteArrayInputStream(cut)));
            assertNotNull(direct.failure, format.label);
            Outcome ahead;
            try (ReadAheadInputStream in = ahead(format.decode(new ByteArrayInputStream(cut)))) {
                ahead = readUntilFailure(in);
                Throwable again = assertThrows(Throwable.class, in::read, format.label);
                assertSame(ahead.failure, again, "the failure stays: " + format.label);
            }
            assertTrue(ahead.bytes.length > plain.length / 3, format.label);
            assertArrayEquals(direct.bytes, ahead.bytes, format.label);
            assertEquals(direct.failure.getClass(), ahead.failure.getClass(), format.label);
            assertEquals(direct.failure.getMessage(), ahead.failure.getMessage(), format.label);
        }
    }

    @Test
    void aFailureOfTheSourceComesAfterTheBytesReadBeforeItAsTheSameException() throws IOException {
        byte[] plain = text(2_000_000);
        IOException broken = new IOException("disk gone");
        InputStream source = new FilterInputStream(new ByteArrayInputStream(plain, 0, 1_234_567)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw broken;
                }
                return n;
            }
        };
        try (ReadAheadInputStream in = ahead(source)) {
            Outcome got = readUntilFailure(in);
            assertSame(broken, got.failure);
            assertArrayEquals(Arrays.copyOf(plain, 1_234_567), got.bytes);
        }
    }

    @Test
    void theThreadIsANamedDaemonThatEndsAndClosesItsSourceAtTheEnd() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream source = new FilterInputStream(new ByteArrayInputStream(text(100_000))) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        ReadAheadInputStream in = ahead(source);
        assertEquals("pgsleuth-decompress", in.thread().getName());
        assertTrue(in.thread().isDaemon());
        in.readAllBytes();
        in.thread().join(JOIN_MILLIS);
        assertFalse(in.thread().isAlive());
        assertTrue(closed.get());
        in.close();
    }

    @Test
    void closingMidStreamStopsTheThreadWaitingOnAFullQueue() throws Exception {
        byte[] plain = text(12 << 20);
        AtomicBoolean closed = new AtomicBoolean();
        InputStream source = new FilterInputStream(
                Compression.GZIP.decode(new ByteArrayInputStream(compress(plain, Compression.GZIP)))) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        ReadAheadInputStream in = ahead(source);
        byte[] head = new byte[1000];
        assertEquals(1000, in.readNBytes(head, 0, head.length));
        assertArrayEquals(Arrays.copyOf(plain, 1000), head);
        // the thread fills the queue, then waits for room: that is where close() must reach it
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        while (in.thread().getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, in.thread().getState());
        in.close();
        in.thread().join(JOIN_MILLIS);
        assertFalse(in.thread().isAlive());
        assertTrue(closed.get());
        assertThrows(IOException.class, in::read);
        in.close();
    }

    @Test
    void closingStopsTheThreadWhileItReadsABlockingSource() throws Exception {
        InputStream blocking = blockingUntilInterrupted();
        ReadAheadInputStream in = ahead(blocking);
        in.close();
        in.thread().join(JOIN_MILLIS);
        assertFalse(in.thread().isAlive());
    }

    @Test
    void anInterruptedReaderGetsAnInterruptedIOExceptionAndKeepsItsInterrupt() throws Exception {
        InputStream blocking = blockingUntilInterrupted();
        try (ReadAheadInputStream in = ahead(blocking)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try {
                    in.read();
                } catch (IOException e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
            while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            reader.interrupt();
            reader.join(JOIN_MILLIS);
            assertTrue(failure.get() instanceof InterruptedIOException, String.valueOf(failure.get()));
            assertTrue(stillInterrupted.get());
            assertTrue(in.thread().isAlive(), "the reader's interrupt is not the read-ahead's close");
        }
    }

    @Test
    void theSourcePositionFollowsTheBytesHandedOut() throws IOException {
        byte[] plain = text(3 << 20);
        long[] consumed = {0};
        InputStream source = new FilterInputStream(new ByteArrayInputStream(plain)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(0, n);
                return n;
            }
        };
        try (ReadAheadInputStream in = new ReadAheadInputStream(source, () -> consumed[0])) {
            in.readNBytes(100);
            long afterHead = in.sourcePosition();
            assertTrue(afterHead >= 100 && afterHead < plain.length, "position of the first block: " + afterHead);
            in.readAllBytes();
            assertEquals(plain.length, in.sourcePosition());
        }
    }

    /** A source whose reads block until their thread is interrupted. */
    private static InputStream blockingUntilInterrupted() {
        CountDownLatch never = new CountDownLatch(1);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted");
                }
                return -1;
            }
        };
    }
}
