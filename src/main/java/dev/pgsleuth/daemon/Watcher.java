package dev.pgsleuth.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.aggregate.ShapeSummary;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.pipeline.ExplainStage;
import dev.pgsleuth.parse.FormatDetector;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.parse.ParseResult;
import dev.pgsleuth.parse.UnknownFormatException;
import dev.pgsleuth.pipeline.Analysis;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.source.FollowPosition;
import dev.pgsleuth.source.LogFollower;
import dev.pgsleuth.source.LogInput;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's loop: a {@link LogFollower} hands complete lines, which are read with the format
 * detected from the followed file's first bytes and run through the shared {@link Analysis}.
 *
 * <p>Exactly once across restarts: everything happens on the thread that calls {@link #poll},
 * so between two polls every line up to the follower's position is in the statistics (after
 * {@link Analysis#flush()}). A checkpoint saves that position together with the per-shape totals
 * ({@link WatchState}); a restart loads both, so its totals continue from the saved ones and its
 * reading from the saved offset. A crash between two checkpoints loses the in-memory work since
 * the last one, which the restart reads again. The full report ({@link #report()}) covers what
 * this process read since it started (the totals in the state file are the part that survives).
 *
 * <p>Thread-safe: the serving threads call the read-only methods while the loop polls.
 */
public final class Watcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final int HEAD_FOR_DETECTION = 64 * 1024;
    /** The longest window {@link #report(Duration)} answers. */
    public static final Duration LONGEST_WINDOW = WindowedStats.LONGEST;

    /**
     * How to watch.
     *
     * @param target          a log file, or a log (or data) directory
     * @param analysis        format, prefix, value masking and shape cap, as for {@code analyze}
     * @param stateDir        where the position and totals are kept, or {@code null} for none
     * @param maxLineBytes    longest line read; longer ones are cut
     * @param checkpointEvery how often the state is saved
     * @param toolVersion     the version written into reports
     * @param findingsEvery   how often new findings are looked for and emitted
     */
    public record Settings(Path target, AnalysisSettings analysis, Path stateDir, int maxLineBytes,
                           Duration checkpointEvery, String toolVersion, Duration findingsEvery) {
        /** New findings are looked for this often unless told otherwise. */
        public static final Duration DEFAULT_FINDINGS_EVERY = Duration.ofMillis(250);

        /** Settings that look for new findings every {@link #DEFAULT_FINDINGS_EVERY}. */
        public Settings(Path target, AnalysisSettings analysis, Path stateDir, int maxLineBytes,
                        Duration checkpointEvery, String toolVersion) {
            this(target, analysis, stateDir, maxLineBytes, checkpointEvery, toolVersion, DEFAULT_FINDINGS_EVERY);
        }
    }

    /**
     * What {@code /health} says.
     *
     * @param ready          a log file is open and has been read up to its end at least once
     * @param file           the file followed, or {@code null}
     * @param lagBytes       bytes written but not yet read
     * @param lastEntryTime  time of the newest entry read, or {@code null}
     * @param lastCheckpoint when the state was last saved, or {@code null}
     * @param database       with {@code --db}: {@code pending} before the first EXPLAIN round,
     *                       {@code available}, or {@code unavailable: <why>}; {@code null} without
     */
    public record Health(boolean ready, String file, long lagBytes, OffsetDateTime lastEntryTime,
                         Instant lastCheckpoint, String database) {
    }

    /**
     * A finding with the time this daemon first reported it.
     *
     * @param firstSeen when it was first in a report of this process
     * @param json      the line written to the events output: {@code {"firstSeen":…,"finding":{…}}}
     */
    public record SeenFinding(Instant firstSeen, String json) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Consumer<String> events;
    private final Analysis analysis;
    private final WindowedStats windows;
    private final LogFollower follower;
    private final WatchState restored;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonReportWriter json = new JsonReportWriter(false, true);
    private final Set<String> emitted = new HashSet<>();
    private final List<SeenFinding> seen = new ArrayList<>();
    private final LinesSink sink = new LinesSink();
    private Instant lastCheckpoint;
    private Instant nextCheckpoint;
    private Instant nextFindings;
    /** {@link Analysis#findingUpdates()} at the last emission. */
    private long emittedUpdates = -1;
    /** The newest entry time read, and the wall time at which it was read: the log's clock. */
    private OffsetDateTime logTime;
    private Instant logTimeReadAt;
    private boolean ready;
    private boolean startSaved;
    private long restarts;
    private long unparsed;
    /** A run of lines failed half-way: the statistics no longer match any position. */
    private boolean broken;
    private volatile boolean running;
    /** The EXPLAIN rounds' findings by id, the newest of each; they join the N+1 findings. */
    private final Map<String, Finding> explainFindings = new LinkedHashMap<>();
    private Report.ExplainSection explainSection;
    /** Counts EXPLAIN rounds that brought findings, so that {@link #emitFindings} sees them. */
    private long explainUpdates;
    private long emittedExplainUpdates = -1;
    private String database;
    private long explainRuns;
    private long explainRefusals;
    private long explainUnavailable;

    /**
     * A watcher that resumes from the state in {@code settings.stateDir()} when there is one.
     *
     * @param events receives each new finding as one line of JSON
     */
    public Watcher(Settings settings, Clock clock, Consumer<String> events) throws IOException {
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        // entries reach the windows only once reading starts, after the constructor
        this.analysis = new Analysis(settings.analysis(), (entry, normalized) -> windows().accept(entry, normalized));
        this.windows = new WindowedStats(() -> new QueryAggregator(analysis.normalizer(),
                settings.analysis().shapeCap(), settings.analysis().showValues()));
        this.restored = settings.stateDir() == null ? WatchState.empty() : WatchState.load(settings.stateDir());
        this.follower = new LogFollower(settings.target(), restored.position(), settings.maxLineBytes());
        this.nextCheckpoint = clock.instant().plus(settings.checkpointEvery());
        this.nextFindings = clock.instant();
        saveStartOnce();
    }

    /**
     * Saves the starting position before anything is read (as soon as there is a file to
     * follow): a daemon killed before its first checkpoint, while the log rotates, must come
     * back to this file rather than to the newest one.
     */
    private void saveStartOnce() throws IOException {
        if (!startSaved && follower.openIfNeeded()) {
            checkpoint();
            startSaved = true;
        }
    }

    /** Reads what was written since the last call, and saves the state when it is due. */
    public synchronized void poll() throws IOException {
        saveStartOnce();
        follower.poll(sink);
        ready = follower.currentFile() != null;
        Instant now = clock.instant();
        OffsetDateTime newest = analysis.aggregator().lastTimestamp();
        if (newest != null && !newest.equals(logTime)) {
            logTime = newest;
            logTimeReadAt = now;
        }
        if (!now.isBefore(nextCheckpoint)) {
            checkpoint();
        } else if (!now.isBefore(nextFindings)) {
            emitFindings(now);
        }
    }

    /**
     * The log's clock now: the newest entry time plus the wall time since it was read. It lags
     * the server's clock by the read delay, never runs ahead of it (whatever the two machines'
     * clocks say), so no burst is closed before its session could have gone on.
     */
    private OffsetDateTime logNow(Instant now) {
        return logTime == null ? null : logTime.plus(Duration.between(logTimeReadAt, now));
    }

    /**
     * Closes the N+1 bursts of sessions that went quiet and emits the findings not emitted yet,
     * all within {@link Settings#findingsEvery()} of their last statement being read plus the
     * longest pause a burst may contain. Loops still running stay open.
     */
    private void emitFindings(Instant now) throws IOException {
        nextFindings = now.plus(settings.findingsEvery());
        OffsetDateTime logNow = logNow(now);
        if (logNow != null) {
            analysis.closeQuietBursts(logNow);
        }
        long updates = analysis.findingUpdates();
        if (updates == emittedUpdates && explainUpdates == emittedExplainUpdates) {
            return;
        }
        emittedUpdates = updates;
        emittedExplainUpdates = explainUpdates;
        Report r = new ReportBuilder(settings.toolVersion(), clock).findings(allFindings()).build();
        for (Report.FindingEntry f : r.findings()) {
            if (emitted.add(f.id())) {
                SeenFinding s = new SeenFinding(now, findingLine(r, f, now));
                seen.add(s);
                events.accept(s.json());
            }
        }
    }

    /**
     * Makes everything read so far count, emits the findings of closed bursts not emitted yet
     * and saves the state (when there is a state directory).
     */
    public synchronized void checkpoint() throws IOException {
        if (broken) {
            throw new IOException("not saving the state: reading the log failed half-way through a run of lines;"
                    + " a restart resumes from the last saved state");
        }
        analysis.flush();
        Instant now = clock.instant();
        emitFindings(now);
        FollowPosition position = follower.position();
        if (settings.stateDir() != null && position != null) {
            new WatchState(WatchState.VERSION, position, totals(), restored.entries() + analysis.aggregator().entries())
                    .save(settings.stateDir());
        }
        lastCheckpoint = now;
        nextCheckpoint = now.plus(settings.checkpointEvery());
    }

    /** One finding as JSON, written the way the report writes it (times, numbers, nulls). */
    private String findingLine(Report r, Report.FindingEntry f, Instant now) throws IOException {
        String whole = json.toJson(new Report(r.schema(), r.generatedAt(), r.tool(), r.input(), false, r.other(),
                List.of(), List.of(f), r.events(), null));
        ObjectNode line = MAPPER.createObjectNode();
        line.put("firstSeen", now.toString());
        line.set("finding", MAPPER.readTree(whole).get("findings").get(0));
        return MAPPER.writeValueAsString(line);
    }

    /** Executions and time per shape since the first run (the saved totals plus this run's). */
    public synchronized Map<String, WatchState.ShapeTotal> totals() {
        Map<String, WatchState.ShapeTotal> out = new TreeMap<>(restored.shapes());
        for (ShapeSummary s : analysis.aggregator().shapes()) {
            WatchState.ShapeTotal before = out.get(s.fingerprint());
            long count = s.count() + (before == null ? 0 : before.count());
            long micros = Math.max(0, s.totalMicros()) + (before == null ? 0 : before.totalMicros());
            out.put(s.fingerprint(), new WatchState.ShapeTotal(s.query(), count, micros));
        }
        return out;
    }

    /** Log entries read since the first run. */
    public synchronized long entriesTotal() {
        return restored.entries() + analysis.aggregator().entries();
    }

    /**
     * The report ({@code pgsleuth-report/1}) of what this process has read so far, with the
     * findings and the {@code explain} section of the EXPLAIN rounds when there is a database.
     */
    public synchronized Report report() {
        analysis.flush();
        Report r = analysis.snapshot(new ReportBuilder(settings.toolVersion(), clock));
        if (database == null) {
            return r;
        }
        List<Report.FindingEntry> findings = new ArrayList<>(r.findings());
        findings.addAll(new ReportBuilder(settings.toolVersion(), clock)
                .findings(List.copyOf(explainFindings.values())).build().findings());
        return new Report(r.schema(), r.generatedAt(), r.tool(), r.input(), r.shapesCapped(), r.other(),
                r.queries(), findings, r.events(), explainSection != null ? explainSection
                : new Report.ExplainSection(database, 0, 0, List.of()));
    }

    private List<Finding> allFindings() {
        List<Finding> all = new ArrayList<>(analysis.closedFindings());
        all.addAll(explainFindings.values());
        return all;
    }

    /**
     * Marks this watcher as having a database to explain on ({@code shown}: without password),
     * for {@code /health} and the report, before the first EXPLAIN round.
     */
    synchronized void explainingOn(String shown) {
        if (database == null) {
            database = "pending";
        }
        if (explainSection == null) {
            explainSection = new Report.ExplainSection(shown, 0, 0, List.of());
        }
    }

    /**
     * What an EXPLAIN round chooses from: the shapes read so far and the N+1 findings, copied,
     * so that the round runs without holding up the reading of the log.
     */
    synchronized ExplainInput explainInput() {
        return new ExplainInput(analysis.aggregator().shapes(), analysis.closedFindings());
    }

    /** The shapes and findings an EXPLAIN round works on. */
    record ExplainInput(List<ShapeSummary> shapes, List<Finding> detected) {
    }

    /** Takes in an EXPLAIN round's outcome: its findings join the others at the next emission. */
    synchronized void explained(ExplainStage.Outcome outcome) {
        Report.ExplainSection section = outcome.section();
        explainSection = section;
        explainRuns += section.explained();
        String unavailable = null;
        for (Report.ExplainSkip skip : section.skipped()) {
            switch (skip.status()) {
                case "refused" -> explainRefusals++;
                case "unavailable" -> {
                    explainUnavailable++;
                    if (unavailable == null) {
                        unavailable = skip.reason();
                    }
                }
                default -> { }
            }
        }
        if (unavailable != null) {
            database = "unavailable: " + unavailable;
        } else if (section.attempted() > 0) {
            database = "available";
        }
        if (!outcome.findings().isEmpty()) {
            outcome.findings().forEach(f -> explainFindings.put(f.id(), f));
            explainUpdates++;
        }
    }

    private WindowedStats windows() {
        return windows;
    }

    /**
     * The report of the last {@code window} (at most {@link #LONGEST_WINDOW}) by the log's clock:
     * the statistics of the shapes run in it (window edges on 5-minute slices up to an hour, on
     * hours beyond), and the findings seen in it. Sources and unparsed lines are those of the
     * whole run; log events are left out.
     */
    public synchronized Report report(Duration window) {
        analysis.flush();
        Instant now = clock.instant();
        OffsetDateTime logNow = logNow(now);
        if (logNow == null) {
            logNow = OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC);
        }
        OffsetDateTime from = logNow.minus(window);
        Report whole = analysis.snapshot(new ReportBuilder(settings.toolVersion(), clock));
        List<Finding> recent = allFindings().stream()
                .filter(f -> f.lastSeen() == null || !f.lastSeen().isBefore(from))
                .toList();
        return new ReportBuilder(settings.toolVersion(), clock)
                .sources(whole.input().sources())
                .unparsed(whole.input().unparsedLines(), whole.input().unparsedSamples())
                .aggregator(windows.window(window, logNow))
                .findings(recent)
                .build();
    }

    /** Findings first reported at or after {@code since}. */
    public synchronized List<SeenFinding> findingsSince(Instant since) {
        return seen.stream().filter(s -> !s.firstSeen().isBefore(since)).toList();
    }

    /** Ready, lag and the newest entry's time. */
    public synchronized Health health() {
        Path f = follower.currentFile();
        return new Health(ready, f == null ? null : f.toString(), follower.pendingBytes(),
                analysis.aggregator().lastTimestamp(), lastCheckpoint, database);
    }

    /** Counters for {@code /metrics}. */
    synchronized Stats stats() {
        return new Stats(analysis.aggregator().entries(), unparsed, follower.rotations(),
                follower.truncations(), follower.cappedLines(), restarts, follower.pendingBytes(),
                explainRuns, explainRefusals, explainUnavailable);
    }

    /** The counters {@code /metrics} shows. */
    record Stats(long entries, long unparsed, long rotations, long truncations, long capped, long restarts,
                 long lagBytes, long explainRuns, long explainRefusals, long explainUnavailable) {
    }

    /**
     * Polls every {@code interval} until {@link #stop()}. A failing poll (a file that cannot be
     * opened, a format not yet recognizable) is logged, counted as a restart of the follower and
     * tried again at the next interval. Only a failure in the middle of a run of lines ends the
     * loop (returning {@code false}): the statistics then hold part of a run, and the only exact
     * way on is a restart from the last saved state.
     *
     * @return {@code true} when stopped, {@code false} when it had to give up
     */
    public boolean run(Duration interval) {
        running = true;
        while (running) {
            try {
                poll();
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    restarts++;
                    if (broken) {
                        LOG.error("reading {} failed half-way, stopping: {}", settings.target(), e.toString());
                        return false;
                    }
                }
                LOG.warn("reading {} failed, retrying: {}", settings.target(), e.toString());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return true;
    }

    /** Ends {@link #run} after its current poll. */
    public void stop() {
        running = false;
    }

    /** Saves the state one last time and closes the file. */
    @Override
    public synchronized void close() throws IOException {
        running = false;
        try {
            if (!broken) {
                checkpoint();
            }
        } finally {
            follower.close();
        }
    }

    /** Reads each run of lines with the format of its file, detected when the file changes. */
    private final class LinesSink implements LogFollower.Sink {
        private String detectedFor;
        private ParseOptions options;

        @Override
        public void accept(LogFollower.Chunk chunk) throws IOException {
            String fileId = chunk.file().key() + "|" + chunk.path();
            if (options == null || !fileId.equals(detectedFor)) {
                options = detect(chunk);
                detectedFor = fileId;
            }
            try {
                ParseResult r = analysis.readPart(LogInput.of(chunk.path().toString(), chunk::bytes), options);
                unparsed += r.unparsed().count();
            } catch (RuntimeException e) {
                // part of the run may be in the statistics already: a checkpoint now would count it twice
                broken = true;
                throw e;
            }
        }

        private ParseOptions detect(LogFollower.Chunk chunk) throws IOException {
            LogFormat format = settings.analysis().logFormat();
            String prefix = settings.analysis().prefix();
            if (format != null && (prefix != null || format == LogFormat.CSVLOG || format == LogFormat.JSONLOG)) {
                return new ParseOptions(format, prefix);
            }
            byte[] head = chunk.head(HEAD_FOR_DETECTION);
            try {
                FormatDetector.Detection d = FormatDetector.detect(head, head.length, chunk.path().toString());
                return new ParseOptions(format == null ? d.format() : format, prefix == null ? d.prefix() : prefix);
            } catch (UnknownFormatException e) {
                // too few lines yet to tell: the position stays, the next poll tries with more
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
