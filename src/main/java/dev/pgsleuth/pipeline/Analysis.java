package dev.pgsleuth.pipeline;

import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.aggregate.ShapeSummary;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.detect.LogEvents;
import dev.pgsleuth.detect.nplusone.NPlusOneDetector;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.normalize.Normalizer;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.FormatReader;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.OrderedWork;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.parse.ParseResult;
import dev.pgsleuth.parse.StatementInterpreter;
import dev.pgsleuth.parse.UnparsedLines;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.report.SourceSummary;
import dev.pgsleuth.source.LogInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The stages every analysis runs, one-shot or daemon: raw entries are interpreted into
 * statements, then aggregated per shape, counted as events and handed to the detectors.
 * The one-shot command feeds it whole inputs ({@link #read}); a follower feeds raw entries
 * ({@link #accept}) as they come.
 */
public final class Analysis implements Consumer<LogEntry.Builder> {
    private final AnalysisSettings settings;
    /** The stages' normalizer, whatever the number of threads (the workers normalize with it too). */
    private final SqlNormalizer normalizer;
    /** The worker threads when {@code threads > 1}, else {@code null}. */
    private final ExecutorService workers;
    /** The worker threads' stage when {@code threads > 1}, else {@code null}. */
    private final ParallelNormalizer parallel;
    private final QueryAggregator aggregator;
    private final LogEvents events;
    private final NPlusOneDetector nPlusOne;
    private final BiConsumer<LogEntry, NormalizedStatement> tap;
    private final StatementInterpreter interpreter;
    private final LogParser parser = new LogParser();
    private final List<SourceSummary> sources = new ArrayList<>();
    private final UnparsedLines unparsed = new UnparsedLines();

    public Analysis(AnalysisSettings settings) {
        this(settings, 1, null);
    }

    /**
     * An analysis that parses lines (where the format allows, see {@link FormatReader}) and
     * normalizes statements on {@code threads} threads when more than one (the reading thread and
     * {@code threads - 1} workers), while the stateful stages see every entry in input order:
     * joining lines and statements on the reading thread, aggregation, events and N+1 one batch at
     * a time on any of the threads (see {@link ParallelNormalizer}); the report is the same
     * whatever the number. With more than one thread, entries fed through {@link #accept} reach
     * the stages in batches, so a follower that needs each entry at once should use one thread.
     */
    public Analysis(AnalysisSettings settings, int threads) {
        this(settings, threads, null);
    }

    /**
     * A one-thread analysis that also hands every interpreted entry, with its statement normalized
     * (or null), to {@code tap} (when not null), after the stages: the daemon keeps its per-window
     * statistics that way.
     */
    public Analysis(AnalysisSettings settings, BiConsumer<LogEntry, NormalizedStatement> tap) {
        this(settings, 1, tap);
    }

    private Analysis(AnalysisSettings settings, int threads, BiConsumer<LogEntry, NormalizedStatement> tap) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.tap = tap;
        this.settings = settings;
        // its shape caches hold twice the shapes kept (the default: 100,000), so under a small heap
        // they shrink with the cap instead of holding every shape of the log
        this.normalizer = new SqlNormalizer((int) Math.min(Integer.MAX_VALUE, 2L * settings.shapeCap()));
        // the reading thread is one of the threads: it runs queued work where it would wait (OrderedWork)
        this.workers = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "pgsleuth-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        this.parallel = workers != null ? new ParallelNormalizer(normalizer, workers, this::deliver) : null;
        this.aggregator = new QueryAggregator(normalizer, settings.shapeCap(), settings.showValues());
        this.events = new LogEvents(normalizer, settings.showValues());
        this.nPlusOne = new NPlusOneDetector(normalizer, settings.nPlusOne(), workers, settings.shapeCap());
        this.interpreter = new StatementInterpreter(parallel != null ? parallel::add : this::dispatch);
    }

    /** Normalizes one interpreted entry's statement, once for all stages, and hands it on. */
    private void dispatch(LogEntry entry) {
        deliver(entry, entry.statement() == null ? null : normalizer.normalize(entry.statement()));
    }

    /** Hands one entry to every stage; {@code ns} is its statement normalized, or {@code null}. */
    private void deliver(LogEntry entry, NormalizedStatement ns) {
        aggregator.accept(entry, ns);
        events.accept(entry, ns);
        if (ns != null && entry.isExecution()) {
            nPlusOne.accept(entry, ns);
        } else {
            nPlusOne.accept(entry);
        }
        if (tap != null) {
            tap.accept(entry, ns);
        }
    }

    /** The normalizer shared by the stages (and by the EXPLAIN stage, which reuses its shapes). */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** The per-shape statistics so far. */
    public QueryAggregator aggregator() {
        return aggregator;
    }

    @Override
    public void accept(LogEntry.Builder raw) {
        interpreter.accept(raw);
    }

    /**
     * Reads every input, in order, through the stages.
     *
     * @throws dev.pgsleuth.source.InputException        when an input cannot be read
     * @throws dev.pgsleuth.parse.UnknownFormatException when a format cannot be recognized
     */
    public void readAll(List<LogInput> inputs) {
        try {
            for (LogInput input : inputs) {
                read(input);
            }
        } catch (RuntimeException e) {
            // the run ends here: no worker thread may outlive it
            if (workers != null) {
                workers.shutdownNow();
            }
            throw e;
        }
    }

    /** Entries seen so far, of any kind. */
    public long entries() {
        return aggregator.entries();
    }

    /**
     * Reads one whole input through the stages and records it as a source of the report.
     *
     * @throws dev.pgsleuth.source.InputException        when the input cannot be read
     * @throws dev.pgsleuth.parse.UnknownFormatException when its format cannot be recognized
     */
    public ParseResult read(LogInput input) {
        ParseResult r = parser.read(input, new ParseOptions(settings.logFormat(), settings.prefix()), this, workers);
        sources.add(new SourceSummary(r.path(), r.format() == null ? null : r.format().cliName(), r.prefix(),
                r.bytes(), r.lines()));
        unparsed.addAll(r.unparsed());
        return r;
    }

    /**
     * Reads one part of a followed file whose format is known (the follower detected it from the
     * file's first bytes): its counts are added to the source summary of the same path, so a file
     * read in many parts is one source of the report.
     *
     * @throws dev.pgsleuth.source.InputException when the part cannot be read
     */
    public ParseResult readPart(LogInput part, ParseOptions options) {
        ParseResult r = parser.read(part, options, this);
        String format = r.format() == null ? null : r.format().cliName();
        SourceSummary merged = new SourceSummary(r.path(), format, r.prefix(), r.bytes(), r.lines());
        for (int i = 0; i < sources.size(); i++) {
            SourceSummary s = sources.get(i);
            if (s.path().equals(r.path())) {
                merged = new SourceSummary(s.path(), format, r.prefix(), s.bytes() + r.bytes(), s.lines() + r.lines());
                sources.remove(i);
                break;
            }
        }
        sources.add(merged);
        unparsed.addAll(r.unparsed());
        return r;
    }

    /**
     * Forwards the statements held back for a line that may still come (a duration, a plan), as
     * at the end of an input. A follower calls it before a checkpoint, so that everything read up
     * to the checkpoint's offset is in the statistics; a line that comes later for a forwarded
     * statement is not counted a second time.
     */
    public void flush() {
        interpreter.finish();
    }

    /**
     * Closes the N+1 bursts of sessions quiet for longer than a burst may pause, as of
     * {@code logNow} on the log's clock (see {@link NPlusOneDetector#closeQuietBursts}).
     *
     * @return whether any burst was closed
     */
    public boolean closeQuietBursts(java.time.OffsetDateTime logNow) {
        // A session's last execution may still be held for a plan that follows within
        // milliseconds. It is released once max-gap old, and the bursts are judged max-gap later,
        // so a step that continues a burst is always in it before the burst can be closed.
        java.time.OffsetDateTime settled = logNow.minus(settings.nPlusOne().maxGap());
        interpreter.releaseFinishedBefore(settled);
        return nPlusOne.closeQuietBursts(settled);
    }

    /** Changes whenever the detectors recorded something new (see {@link NPlusOneDetector#recordedInstances()}). */
    public long findingUpdates() {
        return nPlusOne.recordedInstances();
    }

    /** The detectors' findings so far, without closing what is still open (a loop under way). */
    public List<Finding> closedFindings() {
        return nPlusOne.closedFindings();
    }

    /**
     * The report of what was read so far, mid-stream: unlike {@link #finish}, it closes nothing
     * (held statements stay held, open N+1 bursts open) and can be called again.
     */
    public Report snapshot(ReportBuilder builder) {
        return builder.sources(sources)
                .unparsed(unparsed)
                .aggregator(aggregator)
                .events(events)
                .findings(nPlusOne.closedFindings())
                .build();
    }

    /**
     * Ends the input: statements still waiting for their duration line are flushed, and the
     * detectors' findings are collected into the report.
     */
    public Report finish(ReportBuilder builder) {
        return finish(builder, null);
    }

    /**
     * Ends the input like {@link #finish(ReportBuilder)}, then lets {@code explain} (when not
     * null) re-run the costly shapes and add its findings.
     */
    public Report finish(ReportBuilder builder, ExplainStage explain) {
        interpreter.finish();
        List<Finding> findings;
        if (parallel != null) {
            parallel.flush();
            // a worker summarizes the shapes for the report while this thread writes the findings,
            // which the worker then helps with: one after the other they took 3.3 + 2.5 ms, and
            // the end of a run on the benchmark's 100 MB log 9.8 ms instead of 11.2 (medians of 30)
            List<ShapeSummary> shapes = new ArrayList<>();
            OrderedWork<List<ShapeSummary>> summarized = new OrderedWork<>(workers, 1, shapes::addAll);
            summarized.submit(aggregator::shapes);
            findings = new ArrayList<>(nPlusOne.findings(workers));
            summarized.finish();
            builder.shapes(shapes);
            workers.shutdownNow();
        } else {
            findings = new ArrayList<>(nPlusOne.findings());
        }
        if (explain != null) {
            ExplainStage.Outcome outcome = explain.run(aggregator, findings);
            findings.addAll(outcome.findings());
            builder.explain(outcome.section());
        }
        return builder.sources(sources)
                .unparsed(unparsed)
                .aggregator(aggregator)
                .events(events)
                .findings(findings)
                .build();
    }
}
