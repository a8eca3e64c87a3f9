package dev.pgsleuth.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BoundedCountsTest {

    @Test
    void countsPerKeyWithTheKeysBeyondTheCapUnderOther() {
        BoundedCounts c = new BoundedCounts(2);
        // repeats, an equal key that is another string, keys beyond the cap between kept ones
        for (String k : new String[] {"shop", "shop", new String("shop"), "crm", "shop", "audit", "crm", "audit", "shop"}) {
            c.add(k, 1);
        }
        c.add(null, 5);
        assertEquals(Map.of("shop", 5L, "crm", 2L, BoundedCounts.OTHER, 2L), c.asMap());
        assertEquals(9, c.total());
    }

    @Test
    void agreesWithAPlainCountOnARandomStream() {
        Random r = new Random(3);
        String[] keys = {"a", "b", "c", "d", "e", "f"};
        int cap = 4;
        BoundedCounts c = new BoundedCounts(cap);
        Map<String, Long> expected = new TreeMap<>();
        long other = 0;
        for (int i = 0; i < 2_000; i++) {
            // runs of one key, as a shape's executions come, broken by others
            String k = r.nextInt(5) == 0 ? new String(keys[r.nextInt(keys.length)]) : keys[i / 50 % keys.length];
            long n = 1 + r.nextInt(3);
            c.add(k, n);
            if (expected.containsKey(k) || expected.size() < cap) {
                expected.merge(k, n, Long::sum);
            } else {
                other += n;
            }
        }
        if (other > 0) {
            expected.put(BoundedCounts.OTHER, other);
        }
        assertEquals(expected, c.asMap());

        BoundedCounts merged = new BoundedCounts(cap);
        merged.add("a", 1);
        merged.addAll(c);
        Map<String, Long> withA = new TreeMap<>(expected);
        withA.merge("a", 1L, Long::sum);
        assertEquals(withA, merged.asMap());
    }
}
