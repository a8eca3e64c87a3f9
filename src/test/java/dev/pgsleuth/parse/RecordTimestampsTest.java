package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class RecordTimestampsTest {

    private final RecordTimestamps t = new RecordTimestamps();

    @Test
    void zonesAsPostgresPrintsThem() {
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.269Z"), t.parse("2026-05-16 05:11:50.269 UTC"));
        assertEquals(OffsetDateTime.parse("2021-01-22T10:03:22.785+01:00"), t.parse("2021-01-22 10:03:22.785 CET"));
        assertEquals(OffsetDateTime.parse("2024-06-27T00:00:07.369+02:00"), t.parse("2024-06-27 00:00:07.369 CEST"));
        assertEquals(OffsetDateTime.parse("2024-06-27T00:00:07+03:00"), t.parse("2024-06-27 00:00:07 +03"));
        assertEquals(OffsetDateTime.parse("2024-06-27T00:00:07-03:30"), t.parse("2024-06-27 00:00:07 -0330"));
        assertEquals(OffsetDateTime.parse("2024-06-27T00:00:07.123456-05:00"), t.parse("2024-06-27 00:00:07.123456 EST"));
        assertEquals(OffsetDateTime.parse("2024-07-01T12:00:00+02:00"), t.parse("2024-07-01 12:00:00 Europe/Paris"));
        assertEquals(OffsetDateTime.parse("2024-05-02T10:11:12.999999999Z"), t.parse("2024-05-02T10:11:12.999999999Z"));
        assertEquals(OffsetDateTime.parse("2024-05-02T10:11:12Z"), t.parse("2024-05-02 10:11:12"));
    }

    @Test
    void theCachedSecondNeverLeaksIntoAnotherZoneOrSecond() {
        OffsetDateTime a = t.parse("2026-05-16 05:11:50.269 UTC");
        assertSame(a, t.parse("2026-05-16 05:11:50.269 UTC"));
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.270Z"), t.parse("2026-05-16 05:11:50.270 UTC"));
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.270+01:00"), t.parse("2026-05-16 05:11:50.270 CET"));
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:51Z"), t.parse("2026-05-16 05:11:51 UTC"));
        byte[] bytes = "x2026-05-16 05:11:51.5 UTCx".getBytes(StandardCharsets.US_ASCII);
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:51.5Z"), t.parse(bytes, 1, bytes.length - 2));
    }

    @Test
    void aRepeatedByteTimestampIsParsedOnceAndNothingElseReusesIt() {
        byte[] line = "2026-05-16 05:11:50.269 UTC,2026-05-16 05:11:50.269 UTC,2026-05-16 05:11:50.269 CET,2026-05-16 05:11:50.26 UTC"
                .getBytes(StandardCharsets.US_ASCII);
        OffsetDateTime first = t.parse(line, 0, 27);
        assertSame(first, t.parse(line, 28, 27));
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.269+01:00"), t.parse(line, 56, 27));
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.26Z"), t.parse(line, 84, 26));
        byte[] bad = "2026-13-16 05:11:50 UTC".getBytes(StandardCharsets.US_ASCII);
        assertNull(t.parse(bad, 0, bad.length));
        assertNull(t.parse(bad, 0, bad.length));
        assertEquals(first, t.parse(line, 0, 27));
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.269Z"), t.parse(line, 0, 26), "the same bytes but shorter: no zone");
    }

    @Test
    void notATimestamp() {
        assertNull(t.parse("yesterday"));
        assertNull(t.parse("2026-13-16 05:11:50 UTC"));
        assertNull(t.parse("2026-05-16 05:11:50. UTC"));
        assertNull(t.parse((String) null));
        assertNull(t.parse("2026/05/16 05:11:50 UTC"));
    }
}
