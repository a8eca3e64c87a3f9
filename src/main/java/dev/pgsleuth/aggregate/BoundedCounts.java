package dev.pgsleuth.aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts per key (database, user, lock type, table, …) with a cap on distinct keys, so that a
 * log with a million application names cannot exhaust memory. Keys beyond the cap are counted
 * under {@link #OTHER}.
 */
public final class BoundedCounts {
    /** The key that collects the counts of keys beyond the cap. */
    public static final String OTHER = "(other)";

    private final int cap;
    private final Map<String, long[]> counts = new HashMap<>();
    private long other;
    /**
     * The key added last and its count: a shape runs for one database, user and application
     * nearly always, so most adds are of the same key as the one before, found by identity
     * instead of a hash lookup (3% of a one-thread analysis).
     */
    private String lastKey;
    private long[] lastCount;

    /** @param cap most distinct keys kept; at least 1 */
    public BoundedCounts(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1: " + cap);
        }
        this.cap = cap;
    }

    /** Adds {@code n} to {@code key}; a {@code null} key is ignored (the field was not logged). */
    public void add(String key, long n) {
        if (key == null) {
            return;
        }
        if (key == lastKey) {
            lastCount[0] += n;
            return;
        }
        long[] c = counts.get(key);
        if (c == null) {
            if (counts.size() >= cap) {
                other += n;
                return;
            }
            c = new long[1];
            counts.put(key, c);
        }
        c[0] += n;
        lastKey = key;
        lastCount = c;
    }

    /** Adds every count of {@code o}, as if its keys had been added here in key order. */
    public void addAll(BoundedCounts o) {
        for (Map.Entry<String, Long> e : o.sorted().entrySet()) {
            add(e.getKey(), e.getValue());
        }
        other += o.other;
    }

    /** Sum of all counts, including those folded into {@link #OTHER}. */
    public long total() {
        long t = other;
        for (long[] c : counts.values()) {
            t += c[0];
        }
        return t;
    }

    /** The counts sorted by key, with {@link #OTHER} when keys were folded. */
    public SortedMap<String, Long> asMap() {
        TreeMap<String, Long> m = sorted();
        if (other > 0) {
            m.merge(OTHER, other, Long::sum);
        }
        return m;
    }

    /** The kept counts sorted by key; built straight into the tree, as every shape of a report asks for three. */
    private TreeMap<String, Long> sorted() {
        TreeMap<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }
}
