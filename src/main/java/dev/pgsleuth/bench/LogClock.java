package dev.pgsleuth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The log's own time: starts at a fixed instant and only moves forward, so that the same seed
 * gives the same timestamps. The {@code yyyy-MM-dd HH:mm:ss} text is built once per second.
 */
final class LogClock {
    /** 2026-03-02 08:00:00 UTC, a Monday morning. */
    static final long START_EPOCH_SECOND = 1_772_438_400L;

    private long micros;
    private long cachedSecond = -1;
    private byte[] cachedText;

    /** Microseconds since {@link #START_EPOCH_SECOND}. */
    long micros() {
        return micros;
    }

    void advance(long deltaMicros) {
        micros += deltaMicros;
    }

    long epochSecond() {
        return START_EPOCH_SECOND + micros / 1_000_000;
    }

    /** {@code 2026-03-02 08:00:00.123 UTC}, the {@code %m} form with log_timezone UTC. */
    void writeTimestamp(ByteSink out) throws IOException {
        out.bytes(secondText());
        out.b('.');
        out.padded((micros / 1000) % 1000, 3);
        out.ascii(" UTC");
    }

    /** {@code 2026-03-02 08:00:00 UTC}, a session start time. */
    byte[] sessionStartText() {
        byte[] s = secondText();
        byte[] r = new byte[s.length + 4];
        System.arraycopy(s, 0, r, 0, s.length);
        System.arraycopy(" UTC".getBytes(StandardCharsets.US_ASCII), 0, r, s.length, 4);
        return r;
    }

    private byte[] secondText() {
        long second = epochSecond();
        if (second != cachedSecond) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            cachedText = String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()).getBytes(StandardCharsets.US_ASCII);
            cachedSecond = second;
        }
        return cachedText;
    }
}
