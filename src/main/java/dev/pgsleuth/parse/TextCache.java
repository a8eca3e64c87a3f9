package dev.pgsleuth.parse;

import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Strings of recent log records by their UTF-8 bytes: user, database, session id, client and the
 * like repeat on every record of a session, so each distinct value is decoded once and shared.
 * Direct-mapped with a few hundred slots; a hit compares every byte, so two different values
 * never share a string, however their hashes collide. One per reader; not thread-safe.
 */
final class TextCache {
    private static final int SLOTS = 512;
    /** Longer values are decoded every time: they rarely repeat and would be costly to compare. */
    static final int MAX_BYTES = 64;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];
    private final Charset charset;

    /** A cache whose {@link #decode} decodes with {@code charset}. */
    TextCache(Charset charset) {
        this.charset = charset;
    }

    private static int slot(byte[] buf, int from, int to) {
        int h = to - from;
        for (int k = from; k < to; k++) {
            h = 31 * h + buf[k];
        }
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    /** The string cached for {@code buf[from, to)}, or {@code null}. */
    String get(byte[] buf, int from, int to) {
        if (to - from > MAX_BYTES) {
            return null;
        }
        int s = slot(buf, from, to);
        byte[] k = keys[s];
        return k != null && Arrays.equals(k, 0, k.length, buf, from, to) ? values[s] : null;
    }

    /** Remembers {@code value} as the text of {@code buf[from, to)} (ignored when too long). */
    void put(byte[] buf, int from, int to, String value) {
        if (to - from > MAX_BYTES) {
            return;
        }
        int s = slot(buf, from, to);
        keys[s] = Arrays.copyOfRange(buf, from, to);
        values[s] = value;
    }

    /** {@code buf[from, to)} decoded (malformed bytes replaced), through the cache. */
    String decode(byte[] buf, int from, int to) {
        String s = get(buf, from, to);
        if (s == null) {
            s = new String(buf, from, to - from, charset);
            put(buf, from, to, s);
        }
        return s;
    }
}
