package dev.pgsleuth.bench;

/**
 * SplitMix64, written out here rather than taken from the JDK so that a seed gives the same log
 * on every Java version (the benchmark's figures must be comparable across machines and years).
 */
final class Rng {
    private long state;

    Rng(long seed) {
        state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)}; the slight modulo bias does not matter for a workload. */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** Uniform in {@code [lo, hi]}. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** True with probability {@code perMille / 1000}. */
    boolean chance(int perMille) {
        return nextInt(1000) < perMille;
    }
}
