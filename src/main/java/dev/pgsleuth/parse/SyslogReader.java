package dev.pgsleuth.parse;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Reads PostgreSQL's syslog output as a syslog daemon wrote it: classic
 * {@code Mon DD HH:MM:SS host ident[pid]: [seq-chunk] …} or the ISO-8601 form of rsyslog. The
 * pieces of one message are put back together, {@code #011} becomes a tab again, and the text is
 * read with the {@code log_line_prefix}.
 */
public final class SyslogReader extends ChunkedReader {
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private final TimestampParser iso = new TimestampParser();
    private final Clock clock;
    private final ZoneId zone;
    private final byte[] lastStamp = new byte[15];
    private OffsetDateTime lastValue;

    /** A reader for the given prefix ({@code null}: inferred); classic timestamps are in the system zone. */
    public SyslogReader(String prefix) {
        this(prefix, Clock.systemDefaultZone());
    }

    /**
     * A reader whose classic (yearless) timestamps are read in {@code clock}'s zone, in the year
     * that puts them at most a day after {@code clock}'s present.
     */
    public SyslogReader(String prefix, Clock clock) {
        super(prefix);
        this.clock = clock;
        this.zone = clock.getZone();
    }

    @Override
    boolean piecesSplitLines() {
        return true;
    }

    @Override
    boolean header(byte[] b, int s, int e, Header h) {
        int p;
        if (s + 16 <= e && b[s + 3] == ' ' && MONTHS.indexOf(new String(b, s, 3, java.nio.charset.StandardCharsets.US_ASCII)) % 3 == 0
                && b[s + 9] == ':' && b[s + 12] == ':') {
            h.timestamp = classic(b, s);
            if (h.timestamp == null) {
                return false;
            }
            p = s + 15;
        } else {
            if (s + 19 > e || b[s + 10] != 'T') {
                return false;
            }
            p = iso.parse(b, s, e);
            if (p < 0) {
                return false;
            }
            h.timestamp = iso.value;
        }
        if (p >= e || b[p] != ' ') {
            return false;
        }
        p++;
        while (p < e && b[p] != ' ') {
            p++;
        }
        p++;
        int identStart = p;
        while (p < e && b[p] != '[' && b[p] != ':' && b[p] != ' ') {
            p++;
        }
        if (p >= e || p == identStart) {
            return false;
        }
        if (b[p] == '[') {
            p++;
            int pid = 0;
            int ds = p;
            while (p < e && TimestampParser.digit(b[p])) {
                pid = pid * 10 + (b[p] - '0');
                p++;
            }
            if (p == ds || p >= e || b[p] != ']') {
                return false;
            }
            h.pid = pid;
            p++;
        }
        if (p >= e || b[p] != ':') {
            return false;
        }
        p++;
        if (p < e && b[p] == ' ') {
            p++;
        }
        h.textStart = chunkMarker(b, p, e, h);
        return true;
    }

    private OffsetDateTime classic(byte[] b, int s) {
        boolean same = lastValue != null;
        for (int i = 0; i < 15 && same; i++) {
            same = lastStamp[i] == b[s + i];
        }
        if (same) {
            return lastValue;
        }
        try {
            int month = MONTHS.indexOf(new String(b, s, 3, java.nio.charset.StandardCharsets.US_ASCII)) / 3 + 1;
            int day = (b[s + 4] == ' ' ? 0 : (b[s + 4] - '0') * 10) + (b[s + 5] - '0');
            int hour = two(b, s + 7);
            int minute = two(b, s + 10);
            int second = two(b, s + 13);
            LocalDateTime now = LocalDateTime.now(clock);
            LocalDateTime t = LocalDateTime.of(now.getYear(), month, day, hour, minute, second);
            if (t.isAfter(now.plusDays(1))) {
                t = t.minusYears(1);
            }
            lastValue = t.atZone(zone).toOffsetDateTime();
            System.arraycopy(b, s, lastStamp, 0, 15);
            return lastValue;
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static int two(byte[] b, int p) {
        if (!TimestampParser.digit(b[p]) || !TimestampParser.digit(b[p + 1])) {
            throw new DateTimeException("not a number");
        }
        return (b[p] - '0') * 10 + (b[p + 1] - '0');
    }
}
