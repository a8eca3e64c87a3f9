package dev.pgsleuth.detect.nplusone;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything known about one pattern over the whole log: a parent shape (or none) and the shapes
 * repeated in its loops, for {@code n-plus-one}; a single shape, for {@code duplicate-query}.
 */
final class Pattern {
    private static final int MAX_SESSIONS = 10_000;
    private static final Comparator<LoopInstance> WORST_FIRST = Comparator
            .comparingDouble(LoopInstance::durationMs)
            .thenComparingInt(LoopInstance::repetitions).reversed();

    /** One repeated shape and its totals over all loops of the pattern. */
    static final class Repeated {
        final ShapeInfo shape;
        long count;
        long distinct;
        int keyIndex = -1;

        Repeated(ShapeInfo shape) {
            this.shape = shape;
        }
    }

    final String rule;
    final ShapeInfo parent;
    final Map<String, Repeated> repeated = new LinkedHashMap<>();
    int occurrences;
    long repetitions;
    double totalMs;
    OffsetDateTime firstSeen;
    OffsetDateTime lastSeen;
    final Set<String> sessions = new HashSet<>();
    final List<LoopInstance> worst = new ArrayList<>();
    private final int keepWorst;

    Pattern(String rule, ShapeInfo parent, int keepWorst) {
        this.rule = rule;
        this.parent = parent;
        this.keepWorst = keepWorst;
    }

    Repeated repeated(ShapeInfo shape) {
        return repeated.computeIfAbsent(shape.fingerprint, f -> new Repeated(shape));
    }

    void addInstance(LoopInstance instance, double costMs) {
        occurrences++;
        repetitions += instance.repetitions();
        totalMs += costMs;
        if (instance.start() != null && (firstSeen == null || instance.start().isBefore(firstSeen))) {
            firstSeen = instance.start();
        }
        if (instance.end() != null && (lastSeen == null || instance.end().isAfter(lastSeen))) {
            lastSeen = instance.end();
        }
        if (sessions.size() < MAX_SESSIONS) {
            sessions.add(instance.session());
        }
        worst.add(instance);
        // stable sort keeps the earlier of two equal loops first, so output is deterministic
        worst.sort(WORST_FIRST);
        if (worst.size() > keepWorst) {
            worst.remove(worst.size() - 1);
        }
    }
}
