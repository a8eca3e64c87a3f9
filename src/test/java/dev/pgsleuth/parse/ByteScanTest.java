package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {

    private static final byte[] ALPHABET = {'a', ' ', '"', '\\', '\n', '\r', 0x1f, 0x20, 0x7f, (byte) 0x80,
            (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0x00, 0x21, 0x0b, 0x09, 0x5b, 0x5d, (byte) 0xa2};

    /** Every search agrees with a byte-at-a-time loop on every window of many random arrays. */
    @Test
    void agreesWithAPlainLoopOnEveryWindow() {
        Random random = new Random(42);
        for (int round = 0; round < 400; round++) {
            byte[] b = new byte[random.nextInt(40)];
            // sparse arrays put the match in any lane of a word, dense ones next to false-hit candidates
            int density = 1 + random.nextInt(8);
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(density) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) 'x';
            }
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertEquals(naive(b, from, to, c -> c == '\n', -1), ByteScan.indexOfNewline(b, from, to));
                    assertEquals(naive(b, from, to, c -> c == '"', to), ByteScan.indexOfQuote(b, from, to));
                    assertEquals(naive(b, from, to, c -> c == '"' || c == '\\' || (c >= 0 && c < 0x20), to),
                            ByteScan.indexOfJsonStringStop(b, from, to));
                    assertEquals(naive(b, from, to, c -> c < 0, -1) >= 0, ByteScan.hasHighBytes(b, from, to));
                    long line = ByteScan.newline(b, from, to);
                    int nl = naive(b, from, to, c -> c == '\n', -1);
                    assertEquals(nl, (int) line);
                    boolean highBefore = naive(b, from, nl < 0 ? to : nl, c -> c < 0, -1) >= 0;
                    boolean flagged = (line & ByteScan.NON_ASCII) != 0;
                    if (highBefore) {
                        assertTrue(flagged, "a byte above 0x7F before the line end is always flagged");
                    } else if (flagged) {
                        // only a high byte after the line end, in the eight bytes that held it
                        assertTrue(nl >= 0 && naive(b, nl + 1, Math.min(to, (nl - from) / 8 * 8 + from + 8),
                                c -> c < 0, -1) >= 0, "flagged with no high byte near the line end");
                    }
                    int newlines = 0;
                    for (int i = from; i < to; i++) {
                        newlines += b[i] == '\n' ? 1 : 0;
                    }
                    assertEquals(newlines, ByteScan.countNewlines(b, from, to));
                    int quotes = 0;
                    for (int i = from; i < to; i++) {
                        quotes += b[i] == '"' ? 1 : 0;
                    }
                    assertEquals(quotes, ByteScan.countQuotes(b, from, to));
                }
            }
        }
    }

    private interface BytePredicate {
        boolean test(byte c);
    }

    private static int naive(byte[] b, int from, int to, BytePredicate p, int none) {
        for (int i = from; i < to; i++) {
            if (p.test(b[i])) {
                return i;
            }
        }
        return none;
    }
}
