package dev.pgsleuth.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The report's own number and time formatting, held to the JDK's. */
class JsonReportWriterTest {
    @Test
    void timesAreWrittenAsIsoOffsetDateTimeWritesThem() {
        Random r = new Random(17);
        ZoneOffset[] offsets = {ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-5, -30),
            ZoneOffset.ofTotalSeconds(3_723), ZoneOffset.ofHours(14)};
        for (int i = 0; i < 20_000; i++) {
            long second = r.nextLong(-70_000_000_000L, 300_000_000_000L);
            int nanos = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1_000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                case 3 -> r.nextInt(10) * 100_000_000;
                default -> r.nextInt(1_000_000_000);
            };
            OffsetDateTime t = Instant.ofEpochSecond(second, nanos).atOffset(offsets[r.nextInt(offsets.length)]);
            assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t), JsonReportWriter.isoTime(t));
        }
    }

    @Test
    void doublesAreWrittenPlainAsBigDecimalWritesThem() {
        Random r = new Random(5);
        double[] fixed = {0.0, -0.0, 1.0, 100.0, 0.001, 0.0001, 1e-7, 9_999_999.0, 10_000_000.0, 1e21, 123.456,
            -42.5, Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2};
        for (double v : fixed) {
            assertEquals(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(), JsonReportWriter.plain(v),
                    String.valueOf(v));
        }
        for (int i = 0; i < 100_000; i++) {
            double v = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(100_000) / 1_000.0;
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(24) - 8);
                case 2 -> Double.longBitsToDouble(r.nextLong());
                default -> -r.nextInt(1_000_000) / 10.0;
            };
            if (Double.isFinite(v)) {
                assertEquals(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(), JsonReportWriter.plain(v),
                        String.valueOf(v));
            }
        }
    }
}
