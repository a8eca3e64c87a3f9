package dev.pgsleuth.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses the timestamps that csvlog, jsonlog and CloudNativePG write ({@code 2026-05-16 05:11:50.269 UTC},
 * {@code 2021-01-22 10:03:22.785 CET}, {@code 2024-06-27 00:00:07 +03}). Log lines arrive many per
 * second, so the second and its zone are parsed once and only the fraction is added per call.
 * One instance per reader; not thread-safe.
 */
final class RecordTimestamps {

    /** Abbreviations PostgreSQL prints for common time zones ({@code %Z}), with their offsets. */
    private static final Map<String, ZoneOffset> ABBREVIATIONS = new HashMap<>();

    static {
        abbr(0, "UTC", "GMT", "Z", "UT", "WET");
        abbr(1, "CET", "BST", "WEST", "WAT");
        abbr(2, "CEST", "EET", "SAST", "CAT");
        abbr(3, "EEST", "MSK", "EAT", "IDT");
        abbr(4, "GST", "MSD");
        abbr(5, "PKT");
        abbr(7, "WIB", "ICT");
        abbr(8, "AWST", "HKT", "SGT", "PHT", "WITA");
        abbr(9, "JST", "KST", "WIT");
        abbr(10, "AEST", "ChST");
        abbr(11, "AEDT");
        abbr(12, "NZST");
        abbr(13, "NZDT");
        abbr(-3, "BRT", "ART", "ADT");
        abbr(-4, "EDT", "AST");
        abbr(-5, "EST", "CDT");
        abbr(-6, "CST", "MDT");
        abbr(-7, "MST", "PDT");
        abbr(-8, "PST", "AKDT");
        abbr(-9, "AKST", "HDT");
        abbr(-10, "HST");
        ABBREVIATIONS.put("IST", ZoneOffset.ofHoursMinutes(5, 30));
        ABBREVIATIONS.put("ACST", ZoneOffset.ofHoursMinutes(9, 30));
        ABBREVIATIONS.put("ACDT", ZoneOffset.ofHoursMinutes(10, 30));
        ABBREVIATIONS.put("NST", ZoneOffset.ofHoursMinutes(-3, -30));
        ABBREVIATIONS.put("NDT", ZoneOffset.ofHoursMinutes(-2, -30));
    }

    private static void abbr(int hours, String... names) {
        for (String n : names) {
            ABBREVIATIONS.put(n, ZoneOffset.ofHours(hours));
        }
    }

    private final char[] key = new char[64];
    private int keyLength = -1;
    private OffsetDateTime second;
    private OffsetDateTime last;
    private int lastNanos = -1;
    private char[] scratchBuffer = new char[80];

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
        char[] c = scratch(len);
        for (int i = 0; i < len; i++) {
            c[i] = (char) (b[off + i] & 0xff);
        }
        return parse(c, 0, len);
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
            ZoneOffset offset = offsetOf(zone, local);
            return OffsetDateTime.of(local, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offsetOf(String zone, LocalDateTime local) {
        if (zone.isEmpty()) {
            return ZoneOffset.UTC;
        }
        ZoneOffset known = ABBREVIATIONS.get(zone);
        if (known != null) {
            return known;
        }
        char first = zone.charAt(0);
        if (first == '+' || first == '-') {
            return numericOffset(zone);
        }
        try {
            // region ids such as "Europe/Berlin" or "CET" that PostgreSQL may print verbatim
            ZoneId id = ZoneId.of(zone);
            return id.getRules().getOffset(local);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** {@code +03}, {@code -0330}, {@code +05:30}. */
    private static ZoneOffset numericOffset(String zone) {
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        String digits = zone.substring(1).replace(":", "");
        try {
            int hours;
            int minutes = 0;
            if (digits.length() <= 2) {
                hours = Integer.parseInt(digits);
            } else if (digits.length() == 4) {
                hours = Integer.parseInt(digits.substring(0, 2));
                minutes = Integer.parseInt(digits.substring(2));
            } else {
                return ZoneOffset.UTC;
            }
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (NumberFormatException | DateTimeException e) {
            return ZoneOffset.UTC;
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
