package dev.pgsleuth.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Parses the timestamps that csvlog, jsonlog and CloudNativePG write ({@code 2026-05-16 05:11:50.269 UTC},
 * {@code 2021-01-22 10:03:22.785 CET}, {@code 2024-06-27 00:00:07 +03}). Log lines arrive many per
 * second, so the second and its zone are parsed once and only the fraction is added per call.
 * One instance per reader; not thread-safe.
 */
final class RecordTimestamps {

    private final char[] key = new char[64];
    private int keyLength = -1;
    private OffsetDateTime second;
    private OffsetDateTime last;
    private int lastNanos = -1;
    private char[] scratchBuffer = new char[80];
    /** The bytes of the last {@link #parse(byte[], int, int)} and its result: records come many per millisecond. */
    private final byte[] lastBytes = new byte[80];
    private int lastBytesLength = -1;
    private OffsetDateTime lastBytesResult;

    /** Parses {@code s}, or returns {@code null} when it is no timestamp. */
    OffsetDateTime parse(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n > key.length + 10) {
            return null;
        }
        char[] c = scratch(n);
        s.getChars(0, n, c, 0);
        return parse(c, 0, n);
    }

    /** Parses the ASCII bytes {@code b[off, off+len)}, or returns {@code null}. */
    OffsetDateTime parse(byte[] b, int off, int len) {
        if (len > key.length + 10 || len < 19) {
            return null;
        }
        if (len == lastBytesLength && Arrays.equals(lastBytes, 0, len, b, off, off + len)) {
            return lastBytesResult;
        }
        char[] c = scratch(len);
        for (int i = 0; i < len; i++) {
            c[i] = (char) (b[off + i] & 0xff);
        }
        OffsetDateTime result = parse(c, 0, len);
        System.arraycopy(b, off, lastBytes, 0, len);
        lastBytesLength = len;
        lastBytesResult = result;
        return result;
    }

    private char[] scratch(int len) {
        if (scratchBuffer.length < len) {
            scratchBuffer = new char[len];
        }
        return scratchBuffer;
    }

    /**
     * Parses {@code YYYY-MM-DD HH:MM:SS[.fraction][ ZONE]} (a {@code T} is accepted as separator);
     * a missing zone means UTC, an unknown abbreviation too.
     */
    OffsetDateTime parse(char[] c, int off, int len) {
        if (len < 19) {
            return null;
        }
        int end = off + len;
        int fracStart = off + 19;
        int fracEnd = fracStart;
        int nanos = 0;
        if (fracStart < end && c[fracStart] == '.') {
            fracEnd = fracStart + 1;
            int digits = 0;
            while (fracEnd < end && c[fracEnd] >= '0' && c[fracEnd] <= '9') {
                if (digits < 9) {
                    nanos = nanos * 10 + (c[fracEnd] - '0');
                    digits++;
                }
                fracEnd++;
            }
            if (digits == 0) {
                return null;
            }
            for (int d = digits; d < 9; d++) {
                nanos *= 10;
            }
        }
        int zoneStart = fracEnd;
        while (zoneStart < end && c[zoneStart] == ' ') {
            zoneStart++;
        }
        // cache key: the 19 characters of the second plus the zone text
        int zoneLen = end - zoneStart;
        int kLen = 19 + zoneLen;
        if (!sameKey(c, off, zoneStart, zoneLen, kLen)) {
            OffsetDateTime parsed = parseSecond(c, off, zoneStart, end);
            if (parsed == null) {
                return null;
            }
            if (kLen <= key.length) {
                System.arraycopy(c, off, key, 0, 19);
                System.arraycopy(c, zoneStart, key, 19, zoneLen);
                keyLength = kLen;
            } else {
                keyLength = -1;
            }
            second = parsed;
            last = null;
            lastNanos = -1;
        }
        if (nanos == lastNanos && last != null) {
            return last;
        }
        last = nanos == 0 ? second : second.withNano(nanos);
        lastNanos = nanos;
        return last;
    }

    private boolean sameKey(char[] c, int off, int zoneStart, int zoneLen, int kLen) {
        if (kLen != keyLength) {
            return false;
        }
        for (int i = 18; i >= 0; i--) {
            if (key[i] != c[off + i]) {
                return false;
            }
        }
        for (int i = 0; i < zoneLen; i++) {
            if (key[19 + i] != c[zoneStart + i]) {
                return false;
            }
        }
        return true;
    }

    private static OffsetDateTime parseSecond(char[] c, int off, int zoneStart, int end) {
        int year = digits(c, off, 4);
        int month = digits(c, off + 5, 2);
        int day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2);
        int minute = digits(c, off + 14, 2);
        int sec = digits(c, off + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || sec < 0
                || c[off + 4] != '-' || c[off + 7] != '-' || (c[off + 10] != ' ' && c[off + 10] != 'T')
                || c[off + 13] != ':' || c[off + 16] != ':') {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, sec);
            String zone = new String(c, zoneStart, end - zoneStart);
            ZoneOffset offset = ZoneOffsets.of(zone, local);
            return OffsetDateTime.of(local, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(char[] c, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char ch = c[i];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** CloudNativePG's envelope {@code ts} when written as epoch seconds (zap's default encoding). */
    static OffsetDateTime ofEpochSeconds(double seconds) {
        long whole = (long) Math.floor(seconds);
        long nanos = Math.round((seconds - whole) * 1_000_000_000L);
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(whole, nanos), ZoneOffset.UTC);
    }
}
