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

    /** Raw statements kept per pattern for recognizing the ORM are cut to this length. */
    static final int SAMPLE_CHARS = 1000;

    /** One repeated shape and its totals over all loops of the pattern. */
    static final class Repeated {
        final ShapeInfo shape;
        /** One execution as logged, cut to {@link #SAMPLE_CHARS}; never reported. */
        final String sample;
        long count;
        long distinct;
        int keyIndex = -1;

        Repeated(ShapeInfo shape, String sample) {
            this.shape = shape;
            this.sample = cut(sample);
        }
    }

    final String rule;
    final ShapeInfo parent;
    /** The parent as logged when it was seen in the same burst, cut; else {@code null}. */
    final String parentSample;
    final Map<String, Repeated> repeated = new LinkedHashMap<>();
    int occurrences;
    long repetitions;
    double totalMs;
    OffsetDateTime firstSeen;
    OffsetDateTime lastSeen;
    final Set<String> sessions = new HashSet<>();
    final List<LoopInstance> worst = new ArrayList<>();
    private final int keepWorst;

    Pattern(String rule, ShapeInfo parent, String parentSample, int keepWorst) {
        this.rule = rule;
        this.parent = parent;
        this.parentSample = cut(parentSample);
        this.keepWorst = keepWorst;
    }

    Repeated repeated(Run run) {
        return repeated.computeIfAbsent(run.shape.fingerprint, f -> new Repeated(run.shape, run.sample));
    }

    /** Head and tail: ORM marks sit in the select list and at the end ({@code LIMIT 21}). */
    private static String cut(String s) {
        if (s == null || s.length() <= SAMPLE_CHARS) {
            return s;
        }
        int tail = SAMPLE_CHARS / 4;
        return s.substring(0, SAMPLE_CHARS - tail) + " ... " + s.substring(s.length() - tail);
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
