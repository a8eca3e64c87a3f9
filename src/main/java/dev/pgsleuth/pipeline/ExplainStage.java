package dev.pgsleuth.pipeline;

import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.aggregate.ShapeSummary;
import dev.pgsleuth.explain.ExplainResult;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.explain.IndexCheck;
import dev.pgsleuth.explain.IndexVerifier;
import dev.pgsleuth.model.FindingSeverity;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import dev.pgsleuth.normalize.Normalizer;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Re-runs the shapes that cost the most under EXPLAIN ANALYZE and turns their plans into
 * findings with the rule catalog. Which shapes: the top ones by total time and by worst single
 * duration, and the repeated shapes of N+1 findings, each once. The database is touched only
 * through the {@link Explainer}, which holds every safety rule.
 */
public final class ExplainStage {

    /**
     * Which shapes to explain.
     *
     * @param top   how many shapes to take by total time, and again by worst single duration
     * @param minMs a shape whose slowest execution took less than this is not worth a plan
     *              (N+1 shapes are taken anyway: their cost is in the repetition)
     */
    public record Selection(int top, double minMs) {
        public Selection {
            if (top < 0 || minMs < 0) {
                throw new IllegalArgumentException("--explain-top and --explain-min-ms cannot be negative");
            }
        }
    }

    private final Explainer explainer;
    private final IndexVerifier verifier;
    private final RuleEngine rules;
    private final Normalizer normalizer;
    private final Selection selection;
    private final String database;

    /**
     * @param database the database as it may be shown (no password), for the report
     */
    public ExplainStage(Explainer explainer, RuleEngine rules, Normalizer normalizer, Selection selection,
                        String database) {
        this(explainer, new IndexVerifier(explainer, IndexVerifier.Mode.NONE), rules, normalizer, selection, database);
    }

    /**
     * @param verifier checks each suggested index (a finding whose {@code suggestion.sql} creates one)
     *                 on the statement it was found on; it must use {@code explainer}'s session
     * @param database the database as it may be shown (no password), for the report
     */
    public ExplainStage(Explainer explainer, IndexVerifier verifier, RuleEngine rules, Normalizer normalizer,
                        Selection selection, String database) {
        this.explainer = explainer;
        this.verifier = verifier;
        this.rules = rules;
        this.normalizer = normalizer;
        this.selection = selection;
        this.database = database;
    }

    /** What the stage found, and what it did for the report. */
    public record Outcome(List<Finding> findings, Report.ExplainSection section) {
    }

    /** Explains the chosen shapes of {@code aggregator}, plus the repeated shapes of {@code detected}. */
    public Outcome run(QueryAggregator aggregator, List<Finding> detected) {
        return run(aggregator.shapes(), detected);
    }

    /**
     * Explains the chosen ones of {@code shapes}, plus the repeated shapes of {@code detected}: a
     * daemon copies the shapes out of its live aggregator and explains them on another thread.
     */
    public Outcome run(List<ShapeSummary> shapes, List<Finding> detected) {
        List<ShapeSummary> chosen = choose(shapes, detected);
        List<Finding> findings = new ArrayList<>();
        List<Report.ExplainSkip> skipped = new ArrayList<>();
        int explained = 0;
        for (ShapeSummary shape : chosen) {
            ShapeSummary.Example example = shape.example();
            String sql = example != null ? example.statement() : shape.query();
            List<String> params = example != null ? example.parameters() : List.of();
            ExplainResult result = explainer.explain(shape.fingerprint(), sql, params);
            if (!result.ok()) {
                skipped.add(new Report.ExplainSkip(shape.fingerprint(),
                        result.status().name().toLowerCase(Locale.ROOT), result.reason()));
                continue;
            }
            explained++;
            QueryShape parsed = normalizer.shape(new NormalizedStatement(shape.fingerprint(), shape.query(), List.of()));
            for (Finding f : rules.evaluate(new RuleContext(shape.fingerprint(), sql, result.plan(), parsed,
                    result.catalog()))) {
                findings.add(suggestsIndex(f) ? withCheck(f, verifier.check(sql, params, f.suggestion().sql())) : f);
            }
        }
        return new Outcome(findings, new Report.ExplainSection(database, chosen.size(), explained, skipped));
    }

    private static boolean suggestsIndex(Finding f) {
        return f.suggestion() != null && f.suggestion().sql() != null && f.suggestion().sql().contains("CREATE INDEX");
    }

    /**
     * The finding with its index check in the evidence and in the message. When the planner did not
     * pick the index, the finding stays (what the plan showed is still true) but as {@code info}, and
     * without the {@code CREATE INDEX} to paste: an index the planner ignores costs disk and slows
     * every write for nothing. The statement tried stays in {@code evidence.index_check.sql}.
     */
    static Finding withCheck(Finding f, IndexCheck check) {
        Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put("indexVerified", check.verified());
        evidence.put("index_check", check.evidence());
        if (check.method() == IndexCheck.Method.NONE) {
            return new Finding(f.id(), f.rule(), f.category(), f.severity(), f.title(),
                    f.message() + " The suggested index is unverified (" + check.reason() + ").",
                    f.fingerprints(), f.tables(), f.firstSeen(), f.lastSeen(), evidence, f.suggestion());
        }
        String how = check.method() == IndexCheck.Method.HYPOPG
                ? "with a hypothetical index (hypopg)" : "by building it in a rolled-back transaction";
        String costs = "estimated cost " + number(check.costBefore()) + " → " + number(check.costAfter());
        String times = check.msBefore() != null && check.msAfter() != null
                ? ", execution " + number(check.msBefore()) + " ms → " + number(check.msAfter()) + " ms" : "";
        if (check.verified()) {
            return new Finding(f.id(), f.rule(), f.category(), f.severity(), f.title(),
                    f.message() + " Verified " + how + ": the planner uses the index, " + costs + times + ".",
                    f.fingerprints(), f.tables(), f.firstSeen(), f.lastSeen(), evidence, f.suggestion());
        }
        return new Finding(f.id(), f.rule(), f.category(), FindingSeverity.INFO, f.title(),
                f.message() + " Checked " + how + ": the planner does not use the suggested index (" + costs
                        + times + "), so no index is suggested.",
                f.fingerprints(), f.tables(), f.firstSeen(), f.lastSeen(), evidence,
                new Finding.Suggestion("The planner keeps its plan even with this index: look at the statement "
                        + "itself, or at other parameter values, before adding an index.", null));
    }

    private static String number(Double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private List<ShapeSummary> choose(List<ShapeSummary> shapes, List<Finding> detected) {
        Map<String, ShapeSummary> byFingerprint = new LinkedHashMap<>();
        List<ShapeSummary> selects = shapes.stream()
                .filter(s -> s.kind() == StatementKind.SELECT && s.maxMicros() >= selection.minMs() * 1000)
                .toList();
        selects.stream().sorted(Comparator.comparingLong(ShapeSummary::totalMicros).reversed()
                        .thenComparing(ShapeSummary::fingerprint))
                .limit(selection.top()).forEach(s -> byFingerprint.putIfAbsent(s.fingerprint(), s));
        selects.stream().sorted(Comparator.comparingLong(ShapeSummary::maxMicros).reversed()
                        .thenComparing(ShapeSummary::fingerprint))
                .limit(selection.top()).forEach(s -> byFingerprint.putIfAbsent(s.fingerprint(), s));
        Map<String, ShapeSummary> all = new LinkedHashMap<>();
        shapes.forEach(s -> all.put(s.fingerprint(), s));
        for (Finding f : detected) {
            if (!"n-plus-one".equals(f.category())) {
                continue;
            }
            for (String fp : f.fingerprints()) {
                ShapeSummary s = all.get(fp);
                if (s != null) {
                    byFingerprint.putIfAbsent(fp, s);
                }
            }
        }
        return new ArrayList<>(byFingerprint.values());
    }
}
