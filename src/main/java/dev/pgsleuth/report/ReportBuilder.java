package dev.pgsleuth.report;

import dev.pgsleuth.aggregate.OtherShapes;
import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.aggregate.ShapeSummary;
import dev.pgsleuth.detect.LogEvents;
import dev.pgsleuth.detect.LogEventsSummary;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.parse.UnparsedLines;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Assembles a {@link Report} from the stages' results. Every part is optional; a missing one
 * gives an empty section. Literal values are masked unless the aggregator was made with
 * show-values.
 */
public final class ReportBuilder {
    private final String toolVersion;
    private final Clock clock;
    private OffsetDateTime generatedAt;
    private List<SourceSummary> sources = List.of();
    private long unparsedCount;
    private List<String> unparsedSamples = List.of();
    private QueryAggregator aggregator;
    /** The aggregator's shapes summarized already, or null: {@link #build} summarizes them. */
    private List<ShapeSummary> shapes;
    private LogEvents events;
    private List<Finding> findings = List.of();
    private Report.ExplainSection explain;

    /**
     * @param toolVersion the version written in {@code tool.version}
     * @param clock       gives {@code generated_at} unless {@link #generatedAt} fixes it
     */
    public ReportBuilder(String toolVersion, Clock clock) {
        this.toolVersion = toolVersion;
        this.clock = clock;
    }

    /** A builder on the system clock. */
    public ReportBuilder(String toolVersion) {
        this(toolVersion, Clock.systemDefaultZone());
    }

    /** Fixes {@code generated_at}. */
    public ReportBuilder generatedAt(OffsetDateTime at) {
        generatedAt = at;
        return this;
    }

    public ReportBuilder sources(List<SourceSummary> s) {
        sources = List.copyOf(s);
        return this;
    }

    public ReportBuilder unparsed(UnparsedLines u) {
        return unparsed(u.count(), u.samples());
    }

    public ReportBuilder unparsed(long count, List<String> samples) {
        unparsedCount = count;
        unparsedSamples = List.copyOf(samples);
        return this;
    }

    public ReportBuilder aggregator(QueryAggregator a) {
        aggregator = a;
        return this;
    }

    /**
     * The aggregator's shapes, summarized already ({@link QueryAggregator#shapes()}), perhaps on
     * another thread while this one did other work; else {@link #build} summarizes them.
     */
    public ReportBuilder shapes(List<ShapeSummary> s) {
        shapes = s;
        return this;
    }

    public ReportBuilder events(LogEvents e) {
        events = e;
        return this;
    }

    public ReportBuilder findings(List<Finding> f) {
        findings = List.copyOf(f);
        return this;
    }

    /** What the EXPLAIN stage did; leave unset when no database was given. */
    public ReportBuilder explain(Report.ExplainSection e) {
        explain = e;
        return this;
    }

    public Report build() {
        OffsetDateTime at = generatedAt != null ? generatedAt
                : OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
        QueryAggregator agg = aggregator;
        Report.Input input = new Report.Input(sources,
                agg == null ? 0 : agg.entries(), agg == null ? 0 : agg.statements(),
                unparsedCount, unparsedSamples,
                agg == null ? null : agg.firstTimestamp(), agg == null ? null : agg.lastTimestamp());
        OtherShapes o = agg == null ? new OtherShapes(0, 0, 0) : agg.otherShapes();
        Report.Other other = new Report.Other(agg == null ? QueryAggregator.DEFAULT_SHAPE_CAP : agg.shapeCap(),
                o.shapes(), o.count(), ms(o.totalMicros()));
        List<Report.Query> queries = new ArrayList<>();
        if (agg != null) {
            for (ShapeSummary s : shapes != null ? shapes : agg.shapes()) {
                queries.add(query(s, agg.showValues()));
            }
        }
        queries.sort(Comparator.comparingDouble(Report.Query::totalMs).reversed()
                .thenComparing(Report.Query::fingerprint));
        LogEventsSummary ev = (events != null ? events : new LogEvents(null, false)).summary();
        return new Report(Report.SCHEMA, at, new Report.Tool("pgsleuth", toolVersion), input,
                agg != null && agg.capped(), other, queries, findingEntries(), ev, explain);
    }

    private static Report.Query query(ShapeSummary s, boolean showValues) {
        boolean timed = s.timedCount() > 0;
        Report.Example example = null;
        ShapeSummary.Example e = s.example();
        if (e != null) {
            example = new Report.Example(showValues ? e.statement() : s.query(),
                    showValues ? e.parameters() : null,
                    e.micros() < 0 ? null : ms(e.micros()), e.timestamp(), e.session());
        }
        return new Report.Query(s.fingerprint(), s.query(), s.kind().reportName(), s.tables(), s.count(),
                ms(s.totalMicros()),
                timed ? round(s.meanMicros() / 1000.0) : null,
                timed ? ms(s.minMicros()) : null,
                timed ? ms(s.maxMicros()) : null,
                timed ? ms(s.p50Micros()) : null,
                timed ? ms(s.p95Micros()) : null,
                timed ? ms(s.p99Micros()) : null,
                s.firstSeen(), s.lastSeen(), s.databases(), s.users(), s.applications(), example,
                ms(s.parseMicros()), ms(s.bindMicros()));
    }

    private List<Report.FindingEntry> findingEntries() {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity).reversed()
                .thenComparing(Finding::rule).thenComparing(Finding::id));
        List<Report.FindingEntry> out = new ArrayList<>();
        for (Finding f : sorted) {
            Finding.Suggestion sg = f.suggestion();
            out.add(new Report.FindingEntry(f.id(), f.rule(), f.category(), f.severity().reportName(),
                    f.title(), f.message(), f.fingerprints() == null ? List.of() : f.fingerprints(),
                    f.tables() == null ? List.of() : f.tables(), f.firstSeen(), f.lastSeen(),
                    f.evidence() == null ? new LinkedHashMap<>() : f.evidence(),
                    sg == null ? null : new Report.Suggestion(sg.text(), sg.sql())));
        }
        return out;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }
}
