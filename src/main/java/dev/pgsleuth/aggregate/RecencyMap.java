package dev.pgsleuth.aggregate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Values by key, at most a cap of them: a new key beyond the cap drops the least recently used
 * value, as an access-ordered {@link LinkedHashMap} does. Such a map relinks an entry at every
 * lookup, which touches two other entries, long out of the cache on a log of thousands of shapes:
 * up to 4% of an analysis (paired runs, mostly on two threads, where the stages' state moves
 * between cores). So this map is a plain hash map until it first fills, each value noting its last use;
 * the first key beyond the cap puts it in access order from those notes, and it drops the same
 * values from then on.
 *
 * <p>Not thread-safe.
 *
 * @param <V> the values, which carry their last use
 */
public final class RecencyMap<V extends RecencyMap.Used> {

    /** A value that notes when its map last handed it out. */
    public abstract static class Used {
        private long lastUse;
    }

    private final int cap;
    private final Consumer<? super V> dropped;
    private Map<String, V> map = new HashMap<>(1024);
    private boolean inOrderOfUse;
    /** Lookups and insertions so far: each value notes the count at its last one. */
    private long uses;

    /**
     * @param cap     most values kept, at least 1
     * @param dropped told of each value dropped beyond the cap
     */
    public RecencyMap(int cap, Consumer<? super V> dropped) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1: " + cap);
        }
        this.cap = cap;
        this.dropped = dropped;
    }

    /** The value of {@code key}, now the most recently used, or {@code null}. */
    public V get(String key) {
        V v = map.get(key);
        if (v != null) {
            used(v);
        }
        return v;
    }

    /** Adds {@code value} for a new {@code key}; beyond the cap, the least recently used value is dropped. */
    public void put(String key, V value) {
        if (map.size() >= cap && !inOrderOfUse) {
            putInOrderOfUse();
        }
        putBeyondTheCap(key, value);
        if (map.size() > cap) {
            Iterator<V> eldest = map.values().iterator();
            V v = eldest.next();
            eldest.remove();
            dropped.accept(v);
        }
    }

    /** Adds {@code value} for a new {@code key}, dropping nothing: the caller brings the map back under the cap. */
    public void putBeyondTheCap(String key, V value) {
        used(value);
        map.put(key, value);
    }

    /** Removes {@code key}'s value (not told to the dropped values' consumer). */
    public void remove(String key) {
        map.remove(key);
    }

    public int size() {
        return map.size();
    }

    /** The values, in no particular order. */
    public Collection<V> values() {
        return map.values();
    }

    private void used(Used v) {
        v.lastUse = ++uses;
    }

    private static long lastUse(Used v) {
        return v.lastUse;
    }

    private void putInOrderOfUse() {
        List<Map.Entry<String, V>> byUse = new ArrayList<>(map.entrySet());
        byUse.sort(Comparator.comparingLong(e -> lastUse(e.getValue())));
        LinkedHashMap<String, V> ordered = new LinkedHashMap<>(2 * map.size(), 0.75f, true);
        for (Map.Entry<String, V> e : byUse) {
            ordered.put(e.getKey(), e.getValue());
        }
        map = ordered;
        inOrderOfUse = true;
    }
}
