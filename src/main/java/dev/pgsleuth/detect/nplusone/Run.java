package dev.pgsleuth.detect.nplusone;

import java.time.OffsetDateTime;
import java.util.BitSet;
import java.util.List;

/** The executions of one SELECT shape inside one burst of one session. */
final class Run {
    /** Distinct parameter sets remembered per run; beyond it the count is a lower bound. */
    static final int MAX_SIGNATURES = 1024;

    final ShapeInfo shape;
    /**
     * The first execution as logged: it keeps what normalizing removes (Django's
     * {@code LIMIT 21}) for recognizing the ORM. Never reported.
     */
    final String sample;
    /** Fingerprint of the last other SELECT before this shape's first execution in the burst. */
    final String previousSelect;
    final long firstSeq;
    long lastSeq;
    int count;
    double firstStartMs;
    double lastEndMs;
    OffsetDateTime firstSeen;
    OffsetDateTime lastSeen;
    double totalMs;
    /** Values of the first execution, and which positions have changed since. */
    final List<String> firstValues;
    final BitSet varying = new BitSet();
    /** Parameter-set hash → executions with it. */
    private final LongCounts signatures = new LongCounts(MAX_SIGNATURES);
    /**
     * Executions whose bind values were not logged: each counts as a distinct key (an ORM loop is
     * far more likely than a repeat), and none as a duplicate.
     */
    int unknownValues;

    Run(ShapeInfo shape, String sample, String previousSelect, long seq, List<String> values) {
        this.shape = shape;
        this.sample = sample;
        this.previousSelect = previousSelect;
        this.firstSeq = seq;
        this.firstValues = List.copyOf(values.stream().map(v -> v == null ? "\u0000" : v).toList());
    }

    void add(long seq, double startMs, double endMs, OffsetDateTime at, double durationMs, List<String> values,
            boolean valuesUnknown) {
        if (count == 0) {
            firstStartMs = startMs;
            firstSeen = at;
        }
        count++;
        lastSeq = seq;
        lastEndMs = endMs;
        lastSeen = at;
        if (!Double.isNaN(durationMs)) {
            totalMs += durationMs;
        }
        if (valuesUnknown) {
            unknownValues++;
            return;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            h = (h ^ (v == null ? 0x9e3779b9 : v.hashCode())) * 0x100000001b3L;
            h = (h ^ (v == null ? -1 : v.length())) * 0x100000001b3L;
            if (i >= firstValues.size() || !firstValues.get(i).equals(v == null ? "\u0000" : v)) {
                varying.set(i);
            }
        }
        signatures.increment(h);
    }

    int distinct() {
        return signatures.size() + unknownValues;
    }

    /** Executions of the most repeated parameter set. */
    int maxSameParameters() {
        return signatures.max();
    }

    /** Position of the first parameter that changed from one execution to another, or -1. */
    int keyIndex() {
        return varying.nextSetBit(0);
    }
}
