package dev.pgsleuth.detect.nplusone;

/**
 * Counts per 64-bit key, open addressing, no boxing: one per run, updated on every execution.
 * Holds at most {@link #capacity} keys; adding beyond that is refused.
 */
final class LongCounts {
    private final int capacity;
    private long[] keys = new long[8];
    private int[] counts = new int[8];
    private int size;
    /** Key 0 lives apart, since 0 marks a free slot. */
    private int zeroCount;

    LongCounts(int capacity) {
        this.capacity = capacity;
    }

    /** Adds one to the count of {@code key}; false when the key is new and the table is full. */
    boolean increment(long key) {
        if (key == 0) {
            if (zeroCount == 0 && size >= capacity) {
                return false;
            }
            if (zeroCount++ == 0) {
                size++;
            }
            return true;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != 0) {
            if (keys[i] == key) {
                counts[i]++;
                return true;
            }
            i = (i + 1) & mask;
        }
        if (size >= capacity) {
            return false;
        }
        keys[i] = key;
        counts[i] = 1;
        size++;
        if (size * 2 > keys.length) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    /** The largest count of any key. */
    int max() {
        int max = zeroCount;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        return max;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = mix(oldKeys[j]) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
