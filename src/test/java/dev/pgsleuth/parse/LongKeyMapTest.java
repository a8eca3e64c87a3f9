package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongKeyMapTest {

    @Test
    void agreesWithHashMapUnderRandomPutsAndRemoves() {
        Random r = new Random(42);
        LongKeyMap<String> map = new LongKeyMap<>();
        Map<Long, String> expected = new HashMap<>();
        long[] pool = new long[300];
        for (int i = 0; i < pool.length; i++) {
            // Small pids, huge session hashes and the assembler's Long.MIN_VALUE "no key".
            pool[i] = i % 3 == 0 ? i : i % 3 == 1 ? r.nextLong() : Long.MIN_VALUE + i;
        }
        for (int step = 0; step < 200_000; step++) {
            long k = pool[r.nextInt(pool.length)];
            int op = r.nextInt(3);
            if (op == 0) {
                String v = "v" + step;
                map.put(k, v);
                expected.put(k, v);
            } else if (op == 1) {
                String current = expected.get(k);
                String v = current != null && r.nextBoolean() ? current : "other";
                map.remove(k, v);
                expected.remove(k, v);
            } else {
                assertSame(expected.get(k), map.get(k), "key " + k);
            }
            assertEquals(expected.size(), map.size());
        }
        for (long k : pool) {
            assertSame(expected.get(k), map.get(k));
        }
    }

    @Test
    void removeLeavesAnotherValueOfTheKeyInPlace() {
        LongKeyMap<String> map = new LongKeyMap<>();
        String a = new String("a");
        map.put(7, a);
        map.remove(7, new String("a"));
        assertSame(a, map.get(7));
        map.remove(7, a);
        assertNull(map.get(7));
        assertEquals(0, map.size());
    }
}
