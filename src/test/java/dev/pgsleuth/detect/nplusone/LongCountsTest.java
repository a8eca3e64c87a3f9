package dev.pgsleuth.detect.nplusone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LongCountsTest {

    @Test
    void countsKeysIncludingZeroAcrossGrowth() {
        LongCounts c = new LongCounts(1000);
        for (long k = 0; k < 500; k++) {
            for (int n = 0; n <= k % 3; n++) {
                assertTrue(c.increment(k * 0x10000L));
            }
        }
        assertEquals(500, c.size());
        assertEquals(3, c.max());
        assertTrue(c.increment(0));
        assertEquals(500, c.size());
    }

    @Test
    void refusesNewKeysWhenFullButStillCountsKnownOnes() {
        LongCounts c = new LongCounts(2);
        assertTrue(c.increment(7));
        assertTrue(c.increment(0));
        assertFalse(c.increment(9));
        assertTrue(c.increment(7));
        assertEquals(2, c.size());
        assertEquals(2, c.max());
    }
}
