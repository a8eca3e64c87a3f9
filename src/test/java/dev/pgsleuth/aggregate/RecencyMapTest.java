package dev.pgsleuth.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecencyMapTest {
    private static final class Value extends RecencyMap.Used {
        final String key;

        Value(String key) {
            this.key = key;
        }
    }

    @Test
    void dropsWhatAnAccessOrderedMapDrops() {
        int cap = 6;
        Random r = new Random(11);
        List<String> dropped = new ArrayList<>();
        RecencyMap<Value> map = new RecencyMap<>(cap, v -> dropped.add(v.key));
        LinkedHashMap<String, Value> model = new LinkedHashMap<>(16, 0.75f, true);
        List<String> modelDropped = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // hot keys looked up again and again between new ones, and now and then a removal
            String key = "k" + (r.nextInt(3) == 0 ? r.nextInt(30) : r.nextInt(5));
            if (r.nextInt(50) == 0) {
                map.remove(key);
                model.remove(key);
                continue;
            }
            Value v = map.get(key);
            assertSame(model.get(key), v, key);
            if (v == null) {
                v = new Value(key);
                map.put(key, v);
                model.put(key, v);
                if (model.size() > cap) {
                    Iterator<Map.Entry<String, Value>> eldest = model.entrySet().iterator();
                    modelDropped.add(eldest.next().getKey());
                    eldest.remove();
                }
            }
        }
        assertEquals(modelDropped, dropped);
        assertEquals(model.size(), map.size());
        assertEquals(model.values().stream().map(v -> v.key).sorted().toList(),
                map.values().stream().map(v -> v.key).sorted().toList());
    }

    @Test
    void aValueAddedBeyondTheCapStaysUntilTheNextPut() {
        List<String> dropped = new ArrayList<>();
        RecencyMap<Value> map = new RecencyMap<>(2, v -> dropped.add(v.key));
        map.put("a", new Value("a"));
        map.put("b", new Value("b"));
        map.putBeyondTheCap("c", new Value("c"));
        assertEquals(3, map.size());
        map.get("a");
        map.put("d", new Value("d"));
        // one over the cap is dropped, the least recently used: b
        assertEquals(List.of("b"), dropped);
        assertEquals(3, map.size());
        assertNull(map.get("b"));
    }
}
