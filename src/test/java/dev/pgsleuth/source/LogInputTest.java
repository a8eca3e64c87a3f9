package dev.pgsleuth.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
