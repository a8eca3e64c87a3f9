package dev.pgsleuth.parse;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses the timestamps PostgreSQL writes ({@code %t}, {@code %m}, {@code %n}, and the ISO-8601
 * forms of syslog and log shippers) straight from bytes. The same second repeats on thousands
 * of lines, so the last second's value is kept and only the fraction is added.
 */
final class TimestampParser {
    /** The value parsed by the last successful call. */
    OffsetDateTime value;
    /** Whether that value was written with a fraction of a second. */
    boolean fraction;

    private final byte[] key = new byte[48];
    private int keyLength = -1;
    private OffsetDateTime second;
    private int lastNanos = -1;
    private OffsetDateTime lastValue;
    /** The cached second {@link #lastValue} was made from: identity, so no date arithmetic per line. */
    private OffsetDateTime lastBase;

    /**
     * Parses {@code YYYY-MM-DD HH:MM:SS[.fff][ ZONE]} (also with {@code T}, and an attached
     * {@code Z} or {@code +hh:mm}) at {@code b[p]}; returns the index after it, or -1.
     */
    int parse(byte[] b, int p, int end) {
        if (p + 19 > end) {
            return -1;
        }
        // the second of the line before, the common case, was checked when it was cached
        boolean cachedSecond = second != null && Arrays.equals(key, 0, 19, b, p, p + 19);
        if (!cachedSecond && !wellFormedSecond(b, p)) {
            return -1;
        }
        int q = p + 19;
        int nanos = 0;
        fraction = q + 1 < end && (b[q] == '.' || b[q] == ',') && digit(b[q + 1]);
        if (fraction) {
            q++;
            int scale = 100_000_000;
            while (q < end && digit(b[q])) {
                nanos += (b[q] - '0') * scale;
                scale /= 10;
                q++;
            }
        }
        int zoneStart = q;
        int zoneEnd = q;
        if (q + 1 < end && b[q] == ' ' && letter(b[q + 1])) {
            zoneStart = q + 1;
            zoneEnd = zoneStart;
            while (zoneEnd < end && letter(b[zoneEnd]) && zoneEnd - zoneStart < 6) {
                zoneEnd++;
            }
        } else if (q + 2 < end && b[q] == ' ' && sign(b[q + 1]) && digit(b[q + 2])) {
            zoneStart = q + 1;
            zoneEnd = numericZoneEnd(b, zoneStart, end, false);
        } else if (q < end && b[q] == 'Z') {
            zoneEnd = q + 1;
        } else if (q + 1 < end && sign(b[q]) && digit(b[q + 1])) {
            zoneEnd = numericZoneEnd(b, q, end, true);
        }
        OffsetDateTime base = cachedSecond ? cachedZone(b, zoneStart, zoneEnd) : null;
        if (base == null) {
            base = parseAndCache(b, p, zoneStart, zoneEnd);
        }
        if (base == null) {
            return -1;
        }
        if (nanos == 0) {
            value = base;
        } else if (nanos == lastNanos && lastBase == base) {
            value = lastValue;
        } else {
            value = base.plusNanos(nanos);
            lastNanos = nanos;
            lastValue = value;
            lastBase = base;
        }
        return zoneEnd;
    }

    private static final int[] DIGIT_POSITIONS = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

    /** A sign and 2 or 4 digits; with {@code colon}, also {@code +hh:mm} (ISO-8601). */
    private static int numericZoneEnd(byte[] b, int p, int end, boolean colon) {
        int q = p + 1;
        int digits = 0;
        while (q < end && digit(b[q]) && digits < 4) {
            q++;
            digits++;
        }
        if (colon && digits == 2 && q + 2 < end && b[q] == ':' && digit(b[q + 1]) && digit(b[q + 2])) {
            q += 3;
        }
        return q;
    }

    /** Whether {@code b[p, end)} starts with {@code YYYY-MM-DD HH:MM:SS} (or {@code T} between), checked as digits and separators. */
    static boolean secondAt(byte[] b, int p, int end) {
        return p >= 0 && p + 19 <= end && wellFormedSecond(b, p);
    }

    private static boolean wellFormedSecond(byte[] b, int p) {
        if (b[p + 4] != '-' || b[p + 7] != '-' || (b[p + 10] != ' ' && b[p + 10] != 'T') || b[p + 13] != ':'
                || b[p + 16] != ':') {
            return false;
        }
        for (int i : DIGIT_POSITIONS) {
            if (!digit(b[p + i])) {
                return false;
            }
        }
        return true;
    }

    /** The cached second when the zone written after it is the cached one too, else null. */
    private OffsetDateTime cachedZone(byte[] b, int zoneStart, int zoneEnd) {
        int zoneLength = zoneEnd - zoneStart;
        return keyLength == 19 + zoneLength && Arrays.equals(key, 19, keyLength, b, zoneStart, zoneEnd) ? second : null;
    }

    private OffsetDateTime parseAndCache(byte[] b, int p, int zoneStart, int zoneEnd) {
        int zoneLength = zoneEnd - zoneStart;
        int length = 19 + zoneLength;
        OffsetDateTime parsed = parseSecond(b, p, zoneStart, zoneEnd);
        if (parsed != null && length <= key.length) {
            System.arraycopy(b, p, key, 0, 19);
            System.arraycopy(b, zoneStart, key, 19, zoneLength);
            keyLength = length;
            second = parsed;
            lastValue = null;
            lastNanos = -1;
        }
        return parsed;
    }

    private static OffsetDateTime parseSecond(byte[] b, int p, int zoneStart, int zoneEnd) {
        try {
            LocalDateTime t = LocalDateTime.of(num(b, p, 4), num(b, p + 5, 2), num(b, p + 8, 2),
                    num(b, p + 11, 2), num(b, p + 14, 2), num(b, p + 17, 2));
            String zone = new String(b, zoneStart, zoneEnd - zoneStart, StandardCharsets.ISO_8859_1);
            return t.atOffset(ZoneOffsets.of(zone, t));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private long epochKey = Long.MIN_VALUE;
    private OffsetDateTime epochSecond;

    /** Parses {@code %n}, Unix epoch seconds with a fraction ({@code 1621239293.123}); returns the index after it, or -1. */
    int parseEpoch(byte[] b, int p, int end) {
        long seconds = 0;
        int q = p;
        while (q < end && digit(b[q]) && q - p < 12) {
            seconds = seconds * 10 + (b[q] - '0');
            q++;
        }
        if (q - p < 9) {
            return -1;
        }
        int nanos = 0;
        if (q + 1 < end && b[q] == '.' && digit(b[q + 1])) {
            q++;
            int scale = 100_000_000;
            while (q < end && digit(b[q])) {
                nanos += (b[q] - '0') * scale;
                scale /= 10;
                q++;
            }
        }
        if (seconds != epochKey || epochSecond == null) {
            epochSecond = OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
            epochKey = seconds;
        }
        value = nanos == 0 ? epochSecond : epochSecond.plusNanos(nanos);
        return q;
    }

    private static int num(byte[] b, int p, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = v * 10 + (b[p + i] - '0');
        }
        return v;
    }

    static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean letter(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean sign(byte c) {
        return c == '+' || c == '-';
    }
}
