package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The per-second cache gives what a fresh parse gives, line after line. */
class TimestampParserTest {
    private final TimestampParser parser = new TimestampParser();

    private OffsetDateTime parse(String text) {
        byte[] b = ("x" + text + " [1] LOG:  y").getBytes(StandardCharsets.UTF_8);
        int end = parser.parse(b, 1, b.length);
        return end < 0 ? null : parser.value;
    }

    @Test
    void theSameSecondInAnotherZoneOrWithAnotherFractionIsNotTheCachedOne() {
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00.123Z"), parse("2024-01-01 10:00:00.123 UTC"));
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00.123Z"), parse("2024-01-01 10:00:00.123 UTC"));
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00.500+01:00"), parse("2024-01-01 10:00:00.500 CET"));
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00+01:00"), parse("2024-01-01 10:00:00 CET"));
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00-05:00"), parse("2024-01-01 10:00:00-05"));
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:01Z"), parse("2024-01-01 10:00:01 UTC"));
    }

    @Test
    void aMalformedTimeIsRefusedAlsoAfterAGoodOne() {
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00Z"), parse("2024-01-01 10:00:00 UTC"));
        assertEquals(null, parse("2024-01-01 10:0x:00 UTC"));
        assertEquals(null, parse("2024/01/01 10:00:00 UTC"));
        assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00Z"), parse("2024-01-01 10:00:00 UTC"));
    }
}
