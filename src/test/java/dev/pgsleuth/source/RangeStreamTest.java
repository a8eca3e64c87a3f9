package dev.pgsleuth.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's byte range keeps the first {@code maxLine - 1} bytes of each line and its
 * newline, drops the rest of a longer line and counts it, whatever the sizes of the reads.
 */
class RangeStreamTest {
    @TempDir
    Path dir;

    @Test
    void cutsLongLinesAsAByteAtATimeReadWould() throws IOException {
        Random random = new Random(9);
        for (int round = 0; round < 40; round++) {
            int maxLine = 2 + random.nextInt(300);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            long cut = 0;
            for (int line = random.nextInt(200); line > 0; line--) {
                int length = random.nextInt(10) == 0 ? maxLine + random.nextInt(100_000) : random.nextInt(maxLine + 2);
                for (int i = 0; i < length; i++) {
                    byte c = (byte) ('a' + random.nextInt(26));
                    file.write(c);
                    if (i < maxLine - 1) {
                        expected.write(c);
                    }
                }
                cut += length > maxLine - 1 ? 1 : 0;
                file.write('\n');
                expected.write('\n');
            }
            // a last line without its newline: read as far as it goes, cut all the same
            for (int i = random.nextInt(2 * maxLine); i > 0; i--) {
                file.write('z');
            }
            byte[] bytes = file.toByteArray();
            Path f = dir.resolve("log" + round);
            Files.write(f, bytes);
            int tail = bytes.length - (bytes.length == 0 ? 0 : lastNewline(bytes) + 1);
            long tailCut = tail > maxLine - 1 ? 1 : 0;
            for (int i = 0; i < Math.min(tail, maxLine - 1); i++) {
                expected.write('z');
            }
            try (FileChannel ch = FileChannel.open(f)) {
                LogFollower.RangeStream in = new LogFollower.RangeStream(ch, 0, bytes.length, maxLine);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[1 + random.nextInt(5000)];
                for (int n = in.read(buf, 0, 1 + random.nextInt(buf.length)); n >= 0;
                        n = in.read(buf, 0, 1 + random.nextInt(buf.length))) {
                    got.write(buf, 0, n);
                }
                assertArrayEquals(expected.toByteArray(), got.toByteArray(), "round " + round);
                assertEquals(cut + tailCut, in.capped, "round " + round);
            }
        }
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
