package dev.pgsleuth.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class LogInputTest {
    @TempDir
    Path dir;

    static byte[] text(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append("2024-01-01 10:00:00.000 UTC [1] LOG:  line ").append(i).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] compress(byte[] data, Compressor c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private byte[] readAll(LogInput in) throws IOException {
        try (InputStream s = in.open()) {
            return s.readAllBytes();
        }
    }

    @Test
    void compressionIsRecognizedByContentNotByName() throws IOException {
        byte[] plain = text(2000);
        Compressor[] all = {GZIPOutputStream::new, BZip2CompressorOutputStream::new,
            o -> new XZOutputStream(o, new LZMA2Options()), ZstdOutputStream::new};
        String[] labels = {"gzip", "bzip2", "xz", "zstd"};
        for (int i = 0; i < all.length; i++) {
            Path f = dir.resolve("misnamed-" + i + ".log");
            Files.write(f, compress(plain, all[i]));
            LogInput in = LogInput.of(f);
            assertArrayEquals(plain, readAll(in), labels[i]);
            try (LogStream s = in.open()) {
                assertEquals(labels[i], s.compression());
                s.readAllBytes();
                assertNull(s.damage());
            }
        }
        Path p = dir.resolve("plain.log.gz");
        Files.write(p, plain);
        assertArrayEquals(plain, readAll(LogInput.of(p)));
        assertEquals(plain.length, LogInput.of(p).size());
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws IOException {
        byte[] a = compress(text(3), GZIPOutputStream::new);
        byte[] b = compress(text(4), GZIPOutputStream::new);
        Path f = dir.resolve("two.gz");
        Files.write(f, concat(a, b));
        assertEquals(text(3).length + text(4).length, readAll(LogInput.of(f)).length);
    }

    @Test
    void truncatedStreamsGiveTheirGoodBytesAndSayWhatHappened() throws IOException {
        byte[] plain = text(5_000);
        Compressor[] all = {GZIPOutputStream::new, BZip2CompressorOutputStream::new,
            o -> new XZOutputStream(o, new LZMA2Options()), ZstdOutputStream::new};
        String[] labels = {"gzip", "bzip2", "xz", "zstd"};
        for (int i = 0; i < all.length; i++) {
            byte[] packed = compress(plain, all[i]);
            Path f = dir.resolve("cut-" + i);
            Files.write(f, Arrays.copyOf(packed, packed.length * 2 / 3));
            try (LogStream s = LogInput.of(f).open()) {
                byte[] got = s.readAllBytes();
                assertTrue(got.length < plain.length, labels[i]);
                assertArrayEquals(Arrays.copyOf(plain, got.length), got, labels[i]);
                assertEquals("truncated " + labels[i] + " stream", s.damage(), labels[i]);
            }
        }
        Path tiny = dir.resolve("tiny.gz");
        Files.write(tiny, new byte[] {0x1f, (byte) 0x8b, 8});
        try (LogStream s = LogInput.of(tiny).open()) {
            assertEquals(0, s.readAllBytes().length);
            assertEquals("truncated gzip stream", s.damage());
        }
    }

    @Test
    void missingAndUnreadableInputsAreInputExceptions() {
        InputException missing = assertThrows(InputException.class,
                () -> LogInput.of(dir.resolve("nope.log")).open());
        assertEquals("cannot read " + dir.resolve("nope.log") + ": no such file", missing.getMessage());
        InputException directory = assertThrows(InputException.class, () -> LogInput.of(dir).open());
        assertTrue(directory.getMessage().endsWith("is a directory"));
    }

    @Test
    void streamsHaveNoSize() throws IOException {
        LogInput in = LogInput.of("-", () -> new java.io.ByteArrayInputStream(text(1)));
        assertEquals(-1, in.size());
        assertEquals("-", in.name());
        assertArrayEquals(text(1), readAll(in));
    }

    @Test
    void observedInputsCountEveryStoredByteOnTheReadingThread() throws IOException {
        byte[] plain = ReadAheadInputStreamTest.text(3 << 20);
        Path gz = dir.resolve("big.log.gz");
        Files.write(gz, compress(plain, GZIPOutputStream::new));
        Path log = dir.resolve("big.log");
        Files.write(log, plain);
        for (Path f : new Path[] {gz, log}) {
            long[] counted = {0};
            Set<Thread> threads = new HashSet<>();
            LogInput in = LogInput.of(f).observed(n -> {
                counted[0] += n;
                threads.add(Thread.currentThread());
            });
            try (LogStream s = in.open()) {
                s.readNBytes(1000);
                assertTrue(counted[0] > 0 && counted[0] < Files.size(f), f + ": " + counted[0]);
                assertArrayEquals(Arrays.copyOfRange(plain, 1000, plain.length), s.readAllBytes());
            }
            assertEquals(Files.size(f), counted[0], f.toString());
            assertEquals(Set.of(Thread.currentThread()), threads, f.toString());
        }
    }

    @Test
    void aCompressedStreamIsReadAheadAndClosingItEndsTheThread() throws Exception {
        byte[] packed = compress(ReadAheadInputStreamTest.text(8 << 20), GZIPOutputStream::new);
        LogInput in = LogInput.of("-", () -> new java.io.ByteArrayInputStream(packed));
        try (LogStream s = in.open()) {
            assertEquals("gzip", s.compression());
            s.readNBytes(10);
            assertTrue(decompressThreadAlive());
        }
        awaitNoDecompressThread();
    }

    @Test
    void anInterruptedReaderIsNotTakenForDamage() throws Exception {
        byte[] packed = compress(text(1000), GZIPOutputStream::new);
        CountDownLatch never = new CountDownLatch(1);
        // the gzip header, then a source that never answers, like a silent pipe; read by the
        // decompressing thread while this one closes it (so no SequenceInputStream, which is not
        // safe for that)
        java.io.ByteArrayInputStream head = new java.io.ByteArrayInputStream(packed, 0, 20);
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = head.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
                return -1;
            }
        };
        LogStream s = LogInput.of("-", () -> stalled).open();
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.io.InterruptedIOException.class, () -> s.read(new byte[100], 0, 100));
            assertTrue(Thread.interrupted());
            assertNull(s.damage());
        } finally {
            s.close();
        }
    }

    @Test
    void aReaderOfTheHeadAloneDecodesOnItsOwnThread() throws Exception {
        byte[] plain = ReadAheadInputStreamTest.text(4 << 20);
        Path gz = dir.resolve("head.log.gz");
        Files.write(gz, compress(plain, GZIPOutputStream::new));
        awaitNoDecompressThread();
        try (LogStream s = LogInput.of(gz).open(false)) {
            assertArrayEquals(Arrays.copyOf(plain, 70_000), s.readNBytes(70_000));
            assertFalse(decompressThreadAlive());
        }
        assertEquals(java.time.Instant.parse("2024-01-01T10:00:10Z"), LogInputs.firstTimestamp(LogInput.of(gz)));
        assertFalse(decompressThreadAlive());
    }

    private static void awaitNoDecompressThread() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (decompressThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(decompressThreadAlive());
    }

    private static boolean decompressThreadAlive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(ReadAheadInputStream.THREAD_NAME) && t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
