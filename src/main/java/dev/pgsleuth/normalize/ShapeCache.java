package dev.pgsleuth.normalize;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Shapes by fingerprint, bounded: when full, an arbitrary tenth of the entries is dropped. A
 * dropped shape is only recomputed, so no recency bookkeeping is kept on the read path.
 */
final class ShapeCache {

    private final int capacity;
    private final ConcurrentHashMap<String, QueryShape> map;

    ShapeCache(int capacity) {
        this.capacity = capacity;
        this.map = new ConcurrentHashMap<>(Math.min(capacity, 1024));
    }

    QueryShape get(NormalizedStatement statement, Function<NormalizedStatement, QueryShape> compute) {
        QueryShape shape = map.get(statement.fingerprint());
        if (shape != null) {
            return shape;
        }
        // computed outside any lock: two threads may both parse a new shape once, which is harmless
        shape = compute.apply(statement);
        if (map.size() >= capacity) {
            evict();
        }
        QueryShape raced = map.putIfAbsent(statement.fingerprint(), shape);
        return raced != null ? raced : shape;
    }

    int size() {
        return map.size();
    }

    private void evict() {
        int drop = Math.max(1, capacity / 10);
        Iterator<String> it = map.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
