package dev.pgsleuth.aggregate;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementPhase;
import dev.pgsleuth.normalize.Normalizer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Per-shape statistics of every statement in the entry stream, in bounded memory.
 *
 * <p>Each execution ({@link LogEntry#isExecution()}) counts once for its fingerprint, with its
 * duration when one was logged; parse and bind entries add to the shape's parse and bind time
 * only. Durations go to a fixed-precision histogram per shape, never to a list. At most
 * {@code shapeCap} shapes are kept: the least recently seen one is folded into
 * {@link #otherShapes()} when a new one arrives beyond the cap.
 *
 * <p>Not thread-safe: aggregate per thread, then {@link #merge} the results.
 */
public final class QueryAggregator implements Consumer<LogEntry> {
    /** Default cap on distinct shapes kept. */
    public static final int DEFAULT_SHAPE_CAP = 50_000;

    private final Normalizer normalizer;
    private final int shapeCap;
    private final boolean showValues;
    /** The shapes by fingerprint; the least recently seen one is folded beyond the cap. */
    private final RecencyMap<ShapeStats> shapes;

    private long entries;
    private long statements;
    private OffsetDateTime firstTimestamp;
    private OffsetDateTime lastTimestamp;
    // The epoch instants of the two above, so that an entry's time is converted once, not per compare.
    private long firstSecond;
    private int firstNano;
    private long lastSecond;
    private int lastNano;
    private long otherShapes;
    private long otherCount;
    private long otherMicros;

    /**
     * @param normalizer gives each statement its fingerprint, and each new shape its kind and tables
     * @param shapeCap   most distinct shapes kept, at least 1
     * @param showValues whether reports may print literal values (examples, parameters); the
     *                   values are kept either way, for EXPLAIN
     */
    public QueryAggregator(Normalizer normalizer, int shapeCap, boolean showValues) {
        if (shapeCap < 1) {
            throw new IllegalArgumentException("shape cap must be at least 1: " + shapeCap);
        }
        this.normalizer = normalizer;
        this.shapeCap = shapeCap;
        this.showValues = showValues;
        this.shapes = new RecencyMap<>(shapeCap, this::fold);
    }

    /** An aggregator with the default cap that masks values. */
    public QueryAggregator(Normalizer normalizer) {
        this(normalizer, DEFAULT_SHAPE_CAP, false);
    }

    @Override
    public void accept(LogEntry e) {
        accept(e, null);
    }

    /**
     * Adds {@code e}, whose statement was already normalized into {@code normalized} (or
     * {@code null}: normalized here if needed), so that stages sharing one normalization per
     * statement do not pay for it again.
     */
    public void accept(LogEntry e, NormalizedStatement normalized) {
        entries++;
        OffsetDateTime t = e.timestamp();
        if (t != null) {
            long second = t.toEpochSecond();
            int nano = t.getNano();
            offerFirst(t, second, nano);
            offerLast(t, second, nano);
        }
        if (e.statement() == null || e.phase() == null) {
            return;
        }
        if (e.isExecution()) {
            statements++;
            shapeOf(e.statement(), normalized).recordExecution(e);
        } else if (e.hasDuration()) {
            ShapeStats s = shapeOf(e.statement(), normalized);
            long micros = ShapeStats.toMicros(e.durationMs());
            if (e.phase() == StatementPhase.PARSE) {
                s.parseMicros += micros;
            } else {
                s.bindMicros += micros;
            }
        }
    }

    /**
     * Adds everything {@code other} aggregated (over the same kind of normalizer) to this one. The
     * result equals one aggregator fed both streams whenever all shapes fit under the cap; beyond
     * it, the shapes last seen longest ago are folded.
     */
    public void merge(QueryAggregator other) {
        entries += other.entries;
        statements += other.statements;
        if (other.firstTimestamp != null) {
            offerFirst(other.firstTimestamp, other.firstSecond, other.firstNano);
        }
        if (other.lastTimestamp != null) {
            offerLast(other.lastTimestamp, other.lastSecond, other.lastNano);
        }
        otherShapes += other.otherShapes;
        otherCount += other.otherCount;
        otherMicros += other.otherMicros;
        for (ShapeStats o : other.shapes.values()) {
            ShapeStats mine = shapes.get(o.fingerprint);
            if (mine == null) {
                mine = new ShapeStats(o.fingerprint, o.query, o.kind, o.tables);
                shapes.putBeyondTheCap(o.fingerprint, mine);
            }
            mine.addAll(o);
        }
        if (shapes.size() > shapeCap) {
            List<ShapeStats> byLastSeen = new ArrayList<>(shapes.values());
            byLastSeen.sort(Comparator.comparing((ShapeStats s) -> s.lastSeen == null ? null : s.lastSeen.toInstant(),
                    Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(s -> s.fingerprint));
            for (ShapeStats s : byLastSeen.subList(0, shapes.size() - shapeCap)) {
                shapes.remove(s.fingerprint);
                fold(s);
            }
        }
    }

    /** The shapes kept, in no particular order. */
    public List<ShapeSummary> shapes() {
        List<ShapeSummary> out = new ArrayList<>(shapes.size());
        for (ShapeStats s : shapes.values()) {
            out.add(s.summary());
        }
        return out;
    }

    /** What the shapes folded by the cap add up to. */
    public OtherShapes otherShapes() {
        return new OtherShapes(otherShapes, otherCount, otherMicros);
    }

    /** True when shapes were folded because of the cap. */
    public boolean capped() {
        return otherShapes > 0;
    }

    public int shapeCap() {
        return shapeCap;
    }

    /** Whether reports may print literal values. */
    public boolean showValues() {
        return showValues;
    }

    /** Entries seen, of any kind. */
    public long entries() {
        return entries;
    }

    /** Statement executions seen. */
    public long statements() {
        return statements;
    }

    /** Earliest entry timestamp, or {@code null}. */
    public OffsetDateTime firstTimestamp() {
        return firstTimestamp;
    }

    /** Latest entry timestamp, or {@code null}. */
    public OffsetDateTime lastTimestamp() {
        return lastTimestamp;
    }

    private void offerFirst(OffsetDateTime t, long second, int nano) {
        if (firstTimestamp == null || second < firstSecond || second == firstSecond && nano < firstNano) {
            firstTimestamp = t;
            firstSecond = second;
            firstNano = nano;
        }
    }

    private void offerLast(OffsetDateTime t, long second, int nano) {
        if (lastTimestamp == null || second > lastSecond || second == lastSecond && nano > lastNano) {
            lastTimestamp = t;
            lastSecond = second;
            lastNano = nano;
        }
    }

    private ShapeStats shapeOf(String sql, NormalizedStatement normalized) {
        NormalizedStatement ns = normalized != null ? normalized : normalizer.normalize(sql);
        ShapeStats s = shapes.get(ns.fingerprint());
        if (s == null) {
            QueryShape shape = normalizer.outline(ns);
            s = new ShapeStats(ns.fingerprint(), ns.text(), shape.kind(), shape.tables());
            shapes.put(ns.fingerprint(), s);
        }
        return s;
    }

    private void fold(ShapeStats s) {
        otherShapes++;
        otherCount += s.count;
        otherMicros += s.totalMicros;
    }
}
