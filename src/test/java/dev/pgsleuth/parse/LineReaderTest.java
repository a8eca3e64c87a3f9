package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    /** Bytes one bit away from a newline and others the eight-at-a-time search must not take for one. */
    private static final byte[] ALPHABET = {'\n', (byte) 0x8A, 0x0B, 0x0E, 0x02, 0x09, 0x00, (byte) 0xFF, '\r', 'a'};

    @Test
    void splitsAtEveryNewlineWhateverTheBytesAroundIt() throws IOException {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[r.nextInt(3000)];
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextInt(4) == 0 ? ALPHABET[r.nextInt(ALPHABET.length)] : (byte) r.nextInt(256);
            }
            LineReader reader = new LineReader(new ChunkedStream(data, new Random(round)), 1 << 20);
            int lineStart = 0;
            long number = 0;
            while (lineStart < data.length) {
                int nl = lineStart;
                while (nl < data.length && data[nl] != '\n') {
                    nl++;
                }
                int end = nl > lineStart && data[nl - 1] == '\r' ? nl - 1 : nl;
                assertTrue(reader.next(), "round " + round + " line at " + lineStart);
                assertEquals(lineStart, reader.offset);
                assertEquals(++number, reader.number);
                assertArrayEquals(Arrays.copyOfRange(data, lineStart, end),
                        Arrays.copyOfRange(reader.buf, reader.start, reader.end), "round " + round + " line " + number);
                lineStart = nl + 1;
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void aLongLineWithoutNewlinesAndOneAtEachPositionOfAWord() throws IOException {
        for (int at = 0; at < 24; at++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] first = new byte[at];
            Arrays.fill(first, (byte) 0x8A);
            out.write(first);
            out.write('\n');
            out.write(new byte[] {'x', 'y'});
            LineReader reader = new LineReader(new java.io.ByteArrayInputStream(out.toByteArray()));
            assertTrue(reader.next());
            assertEquals(at, reader.end - reader.start);
            assertTrue(reader.next());
            assertEquals(2, reader.end - reader.start);
            assertEquals(at + 1, reader.offset);
            assertFalse(reader.next());
        }
    }

    /** Hands the bytes out in reads of random sizes, as pipes and decompressors do. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final Random r;
        private int pos;

        ChunkedStream(byte[] data, Random r) {
            this.data = data;
            this.r = r;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + r.nextInt(700)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
