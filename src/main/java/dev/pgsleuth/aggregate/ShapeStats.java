package dev.pgsleuth.aggregate;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.StatementKind;
import java.time.OffsetDateTime;
import java.util.List;

/** Mutable running statistics of one shape; owned by one {@link QueryAggregator}. */
final class ShapeStats extends RecencyMap.Used {
    /** Distinct databases, users or applications kept per shape before folding. */
    static final int PER_SHAPE_KEYS = 32;

    final String fingerprint;
    final String query;
    final StatementKind kind;
    final List<String> tables;

    long count;
    long timedCount;
    long totalMicros;
    long minMicros = Long.MAX_VALUE;
    long maxMicros = -1;
    final DurationDigest durations = new DurationDigest();
    OffsetDateTime firstSeen;
    OffsetDateTime lastSeen;
    // The epoch instants of the two above, so that an execution's time is converted once, not per compare.
    private long firstSecond;
    private int firstNano;
    private long lastSecond;
    private int lastNano;
    final BoundedCounts databases = new BoundedCounts(PER_SHAPE_KEYS);
    final BoundedCounts users = new BoundedCounts(PER_SHAPE_KEYS);
    final BoundedCounts applications = new BoundedCounts(PER_SHAPE_KEYS);
    ShapeSummary.Example example;
    long parseMicros;
    long bindMicros;

    ShapeStats(String fingerprint, String query, StatementKind kind, List<String> tables) {
        this.fingerprint = fingerprint;
        this.query = query;
        this.kind = kind;
        this.tables = List.copyOf(tables);
    }

    void recordExecution(LogEntry e) {
        count++;
        long micros = -1;
        if (e.hasDuration()) {
            micros = toMicros(e.durationMs());
            timedCount++;
            totalMicros += micros;
            minMicros = Math.min(minMicros, micros);
            maxMicros = Math.max(maxMicros, micros);
            durations.record(micros);
        }
        OffsetDateTime t = e.timestamp();
        if (t != null) {
            long second = t.toEpochSecond();
            int nano = t.getNano();
            offerFirst(t, second, nano);
            offerLast(t, second, nano);
        }
        databases.add(e.database(), 1);
        users.add(e.user(), 1);
        applications.add(e.application(), 1);
        if (example == null || micros >= example.micros()) {
            offerExample(new ShapeSummary.Example(e.statement(), e.parameters(), micros, e.timestamp(),
                    e.sessionKey()));
        }
    }

    void addAll(ShapeStats o) {
        count += o.count;
        timedCount += o.timedCount;
        totalMicros += o.totalMicros;
        minMicros = Math.min(minMicros, o.minMicros);
        maxMicros = Math.max(maxMicros, o.maxMicros);
        durations.addAll(o.durations);
        if (o.firstSeen != null) {
            offerFirst(o.firstSeen, o.firstSecond, o.firstNano);
        }
        if (o.lastSeen != null) {
            offerLast(o.lastSeen, o.lastSecond, o.lastNano);
        }
        databases.addAll(o.databases);
        users.addAll(o.users);
        applications.addAll(o.applications);
        if (o.example != null) {
            offerExample(o.example);
        }
        parseMicros += o.parseMicros;
        bindMicros += o.bindMicros;
    }

    ShapeSummary summary() {
        boolean timed = timedCount > 0;
        long min = timed ? minMicros : -1;
        long max = timed ? maxMicros : -1;
        return new ShapeSummary(fingerprint, query, kind, tables, count, timedCount, totalMicros,
                min, max,
                timed ? durations.percentile(50, min, max) : -1,
                timed ? durations.percentile(95, min, max) : -1,
                timed ? durations.percentile(99, min, max) : -1,
                firstSeen, lastSeen, databases.asMap(), users.asMap(), applications.asMap(),
                example, parseMicros, bindMicros);
    }

    static long toMicros(double ms) {
        return Math.round(ms * 1000.0);
    }

    private void offerFirst(OffsetDateTime t, long second, int nano) {
        if (firstSeen == null || second < firstSecond || second == firstSecond && nano < firstNano) {
            firstSeen = t;
            firstSecond = second;
            firstNano = nano;
        }
    }

    private void offerLast(OffsetDateTime t, long second, int nano) {
        if (lastSeen == null || second > lastSecond || second == lastSecond && nano > lastNano) {
            lastSeen = t;
            lastSecond = second;
            lastNano = nano;
        }
    }

    /**
     * Keeps the slowest execution; among equals the earliest, then the smallest session key, so
     * that merging partial aggregates picks the same example as one pass would.
     */
    private void offerExample(ShapeSummary.Example candidate) {
        if (example == null || better(candidate, example)) {
            example = candidate;
        }
    }

    private static boolean better(ShapeSummary.Example a, ShapeSummary.Example b) {
        if (a.micros() != b.micros()) {
            return a.micros() > b.micros();
        }
        if (a.timestamp() != null && b.timestamp() != null && !a.timestamp().isEqual(b.timestamp())) {
            return a.timestamp().isBefore(b.timestamp());
        }
        return a.session().compareTo(b.session()) < 0;
    }
}
