package dev.pgsleuth.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches of byte arrays eight bytes at a time, for the readers: most of their input is long
 * runs of text between a few structural bytes (line ends, quotes). Each test flags, per byte lane, a byte
 * that matches; a borrow can flag a lane above a true match but never below one, so in
 * little-endian order the lowest flagged lane is the first match.
 */
final class ByteScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private ByteScan() {
    }

    private static long zeroLanes(long x) {
        return (x - LOW_BITS) & ~x & HIGH_BITS;
    }

    /** Index of the first {@code '\n'} in {@code b[from, to)}, or {@code -1}. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long found = zeroLanes((long) LONGS.get(b, i) ^ NEWLINES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Set in what {@link #newline} returns when the bytes before the line end are not all ASCII. */
    static final long NON_ASCII = 1L << 32;

    /**
     * {@link #indexOfNewline}, and whether the bytes before it (before {@code to} when there is
     * none) are all ASCII, from the same pass: the index, or -1, in the low 32 bits, and
     * {@link #NON_ASCII} set when a byte above 0x7F was seen. It may also be set by such a byte
     * after the line end within the same eight bytes: a caller then decodes the line the slower
     * way, which is right for any bytes.
     */
    static long newline(byte[] b, int from, int to) {
        long seen = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(b, i);
            seen |= word;
            long found = zeroLanes(word ^ NEWLINES);
            if (found != 0) {
                return lineEnd(i + (Long.numberOfTrailingZeros(found) >>> 3), seen);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return lineEnd(i, seen);
            }
            seen |= b[i];
        }
        return lineEnd(-1, seen);
    }

    private static long lineEnd(int index, long seen) {
        return (index & 0xFFFFFFFFL) | ((seen & HIGH_BITS) != 0 ? NON_ASCII : 0);
    }

    /** A hash of {@code b[from, to)}, eight bytes a step: for caches keyed by a few dozen bytes. */
    static int hash(byte[] b, int from, int to) {
        long h = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L, 29);
        }
        for (; i < to; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** How many {@code '"'} bytes {@code b[from, to)} holds. */
    static int countQuotes(byte[] b, int from, int to) {
        return count(b, from, to, QUOTES, (byte) '"');
    }

    /** Index of the first {@code '"'} in {@code b[from, to)}, or {@code to}. */
    static int indexOfQuote(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long found = zeroLanes((long) LONGS.get(b, i) ^ QUOTES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && b[i] != '"') {
            i++;
        }
        return i;
    }

    /** Index of the first {@code '"'} or {@code '\n'} in {@code b[from, to)}, or {@code to}. */
    static int indexOfQuoteOrNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i);
            long found = zeroLanes(x ^ QUOTES) | zeroLanes(x ^ NEWLINES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && b[i] != '"' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** How many {@code '\n'} bytes {@code b[from, to)} holds. */
    static int countNewlines(byte[] b, int from, int to) {
        return count(b, from, to, NEWLINES, (byte) '\n');
    }

    /** How many bytes of {@code b[from, to)} are {@code c}, whose eight copies are {@code lanes}. */
    private static int count(byte[] b, int from, int to, long lanes, byte c) {
        int count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ lanes;
            // exact per lane (no borrow across lanes): high bit set only where the byte is zero
            long zero = ~(((x & ~HIGH_BITS) + ~HIGH_BITS) | x) & HIGH_BITS;
            count += Long.bitCount(zero);
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                count++;
            }
        }
        return count;
    }

    /**
     * Index of the first byte in {@code b[from, to)} that ends a run of plain JSON string text:
     * {@code '"'}, {@code '\\'} or a control byte below 0x20; {@code to} when there is none.
     */
    static int indexOfJsonStringStop(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i);
            long found = zeroLanes(x ^ QUOTES) | zeroLanes(x ^ BACKSLASHES) | ((x - SPACES) & ~x & HIGH_BITS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                return i;
            }
        }
        return to;
    }

    /** Whether {@code b[from, to)} holds a byte of 0x80 or above (so is not plain ASCII). */
    static boolean hasHighBytes(byte[] b, int from, int to) {
        int i = from;
        long acc = 0;
        for (; i + 8 <= to; i += 8) {
            acc |= (long) LONGS.get(b, i);
        }
        if ((acc & HIGH_BITS) != 0) {
            return true;
        }
        for (; i < to; i++) {
            if (b[i] < 0) {
                return true;
            }
        }
        return false;
    }
}
