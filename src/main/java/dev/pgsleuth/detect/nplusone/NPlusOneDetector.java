package dev.pgsleuth.detect.nplusone;

import dev.pgsleuth.aggregate.RecencyMap;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.normalize.Normalizer;
import dev.pgsleuth.parse.OrderedWork;
import dev.pgsleuth.parse.StatementInterpreter;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Finds N+1 loops, the per-row lookups an ORM makes when it expands a relationship lazily, and
 * repeated identical statements, in the statement stream of each database session.
 *
 * <p>Each session's statements are cut into <em>bursts</em>: a pause longer than
 * {@link NPlusOneSettings#maxGap()} between two statements (a pooled connection going back to
 * the pool) ends one, unless the next statement continues a loop under way within
 * {@link NPlusOneSettings#lookback()}. Inside a burst, a SELECT shape run at least
 * {@link NPlusOneSettings#minRepetitions()} times with at least
 * {@link NPlusOneSettings#minDistinctParameters()} distinct parameter sets is a loop. Loops whose
 * spans overlap (interleaved {@code writer, publisher, writer, publisher}, or nested books and
 * their reviews) form one pattern; its parent is the last other SELECT before the loop began,
 * within {@link NPlusOneSettings#lookback()}.
 * Batch loads ({@code IN} lists or {@code ANY} arrays of two or more keys) are never loop steps.
 * A shape that is no loop but repeats one parameter set at least
 * {@link NPlusOneSettings#minDuplicates()} times is a {@code duplicate-query}.
 *
 * <p>State is kept only for open bursts: a burst is evaluated and dropped when its session
 * pauses, disconnects, or has been idle for {@link NPlusOneSettings#sessionIdle()} by the log's
 * clock. Statements pgsleuth ran itself (application {@code pgsleuth} or a leading
 * {@code /* pgsleuth} comment) are ignored. Not thread-safe; feed it one entry at a time in
 * log order.
 */
public final class NPlusOneDetector implements Consumer<LogEntry> {
    /** What pgsleuth's own comment marker starts with (see the Explainer). */
    private static final String SELF = "pgsleuth";
    /** Shapes remembered by the constructors without a cap of their own. */
    private static final int MAX_SHAPES = 50_000;
    private static final int MAX_OPEN_SESSIONS = 100_000;
    private static final int MAX_PATTERNS = 10_000;
    /**
     * Findings written by one task when workers write them: one alone (about 10 µs) costs little
     * more than handing it to another thread. The 512 findings of a 100 MB log, warm, on two
     * threads: 4.1 ms a task each, 3.3–3.5 ms 16 or 32 a task (5.5 ms on one thread); 16 makes
     * two tasks of the 31 findings {@code ThreadedAnalysisTest} compares.
     */
    private static final int FINDINGS_PER_TASK = 16;

    private final Normalizer normalizer;
    private final NPlusOneSettings settings;
    /** Where the shapes of a new pattern are parsed ahead of the findings, or {@code null}. */
    private final Executor background;
    private final double maxGapMs;
    private final double idleMs;
    private final double lookbackMs;
    /** What the executions' shapes are, the least recently seen forgotten beyond the cap. */
    private final RecencyMap<ShapeInfo> shapes;
    /** Open sessions, least recently active first. */
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<String, Pattern> loops = new HashMap<>();
    private final Map<String, Pattern> duplicates = new HashMap<>();
    private double clockMs = Double.NEGATIVE_INFINITY;
    /** Loop and duplicate instances recorded; tells a follower when the findings changed. */
    private long recorded;
    /** Log time of the next look for idle sessions: once a second is enough. */
    private double nextExpiryMs = Double.NEGATIVE_INFINITY;

    public NPlusOneDetector(Normalizer normalizer, NPlusOneSettings settings) {
        this(normalizer, settings, null);
    }

    /**
     * A detector that parses the shapes of each new loop or duplicate pattern on {@code background}
     * (a thread-safe {@code normalizer} caches them) while the log is still read, instead of all
     * at the end when the findings are written: on the 100 MB benchmark log that end was a tenth
     * of the run, mostly parsing a hundred shapes.
     */
    public NPlusOneDetector(Normalizer normalizer, NPlusOneSettings settings, Executor background) {
        this(normalizer, settings, background, MAX_SHAPES);
    }

    /**
     * Like {@link #NPlusOneDetector(Normalizer, NPlusOneSettings, Executor)}, remembering at most
     * {@code maxShapes} shapes (the analysis gives its shape cap, which follows a small heap).
     */
    public NPlusOneDetector(Normalizer normalizer, NPlusOneSettings settings, Executor background, int maxShapes) {
        this.shapes = new RecencyMap<>(maxShapes, forgotten -> { });
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.background = background;
        this.maxGapMs = settings.maxGap().toNanos() / 1e6;
        this.idleMs = settings.sessionIdle().toNanos() / 1e6;
        this.lookbackMs = settings.lookback().toNanos() / 1e6;
    }

    /** Takes the next entry of the log; normalizes it when it is a statement execution. */
    @Override
    public void accept(LogEntry entry) {
        if (!entry.isExecution()) {
            String m = entry.message();
            if (entry.statement() == null && m != null && m.startsWith("disconnection:")) {
                Session s = sessions.remove(entry.sessionKey());
                if (s != null) {
                    closeBurst(s);
                }
            }
            return;
        }
        if (isOwn(entry)) {
            return;
        }
        accept(entry, normalizer.normalize(entry.statement()));
    }

    /**
     * Takes the next entry with its statement already normalized, so a pipeline that normalizes
     * once for several stages does not pay twice. Entries that are no execution are ignored.
     */
    public void accept(LogEntry entry, NormalizedStatement normalized) {
        if (!entry.isExecution() || normalized == null || normalized.fingerprint() == null || isOwn(entry)) {
            return;
        }
        ShapeInfo shape = shapes.get(normalized.fingerprint());
        if (shape == null) {
            shape = ShapeInfo.of(normalized, normalizer);
            shapes.put(shape.fingerprint, shape);
        }
        OffsetDateTime at = entry.timestamp();
        double endMs = at == null ? Double.NaN : at.toEpochSecond() * 1000.0 + at.getNano() / 1e6;
        double duration = entry.durationMs();
        double startMs = Double.isNaN(duration) ? endMs : endMs - duration;

        String key = entry.sessionKey();
        Session session = sessions.get(key);
        if (session == null) {
            session = new Session(key);
            sessions.put(key, session);
        }
        if (!Double.isNaN(endMs) && endMs > clockMs) {
            clockMs = endMs;
        }
        if (clockMs >= nextExpiryMs || sessions.size() > MAX_OPEN_SESSIONS) {
            expireIdleSessions(session);
            nextExpiryMs = clockMs + 1000;
        }

        double pause = startMs - session.lastEndMs;
        if (session.seq > 0 && pause > maxGapMs && !(pause <= lookbackMs && loopUnderWay(session, shape))) {
            closeBurst(session);
        }
        remember(session, entry);
        if (shape.select) {
            List<String> values = entry.parameters().isEmpty() ? literals(normalized) : entry.parameters();
            // bind placeholders without logged values: distinctness unknown, assume a new key
            boolean unknownValues = entry.parameters().isEmpty() && SqlText.hasPlaceholder(entry.statement());
            // per execution: the fingerprint does not tell `= $1` from `= ANY($1)` or IN lists
            boolean batch = SqlText.batchSize(entry.statement(), entry.parameters()) >= 2;
            if (!batch) {
                shape.perRow(normalized);
                Run run = session.runs.get(shape.fingerprint);
                if (run == null && session.runs.size() < Session.MAX_RUNS_PER_BURST) {
                    boolean recent = !(session.lastSelectEndMs < startMs - lookbackMs);
                    String previous = !recent || shape.fingerprint.equals(session.lastSelect) ? null : session.lastSelect;
                    run = new Run(shape, entry.statement(), previous, session.seq, values);
                    session.runs.put(shape.fingerprint, run);
                }
                if (run != null) {
                    run.add(session.seq, startMs, endMs, at, duration, values, unknownValues);
                }
            }
            session.lastSelect = shape.fingerprint;
            session.lastSelectEndMs = endMs;
        }
        session.seq++;
        if (Double.isNaN(session.lastEndMs) || endMs > session.lastEndMs) {
            session.lastEndMs = endMs;
        }
    }

    /** The shape already ran twice or more with different parameters in the current burst. */
    private static boolean loopUnderWay(Session session, ShapeInfo shape) {
        Run run = session.runs.get(shape.fingerprint);
        return run != null && run.distinct() >= 2;
    }

    private static List<String> literals(NormalizedStatement n) {
        return n.literals() == null ? List.of() : n.literals();
    }

    /** The same rule as the statement interpreter's, for entries that did not pass through it. */
    private static boolean isOwn(LogEntry entry) {
        return StatementInterpreter.OWN_APPLICATION.equals(entry.application())
                || entry.statement() != null && SqlText.startsWithComment(entry.statement(), SELF);
    }

    private static void remember(Session session, LogEntry entry) {
        if (session.database == null) {
            session.database = entry.database();
        }
        if (session.user == null) {
            session.user = entry.user();
        }
        if (entry.application() != null) {
            session.application = entry.application();
        }
    }

    private void expireIdleSessions(Session current) {
        Iterator<Session> it = sessions.values().iterator();
        while (it.hasNext()) {
            Session eldest = it.next();
            boolean idle = eldest.lastEndMs + idleMs < clockMs;
            if (eldest == current || !(idle || sessions.size() > MAX_OPEN_SESSIONS)) {
                return;
            }
            it.remove();
            closeBurst(eldest);
        }
    }

    /** Sessions with state held right now; for tests of the memory bound. */
    int openSessions() {
        return sessions.size();
    }

    /**
     * All findings, N+1 first, then by severity, cost and id. Call after the last entry: it
     * closes the sessions still open (mid-stream, see {@link #closedFindings()}).
     */
    public List<Finding> findings() {
        return findings(null);
    }

    /**
     * {@link #findings()}, the findings written on {@code workers} and this thread when not null:
     * at the end of a large log the workers are idle, and a few hundred findings, each with its
     * shapes parsed and its fix written, are a fair share of what is left to do.
     */
    public List<Finding> findings(ExecutorService workers) {
        for (Session s : sessions.values()) {
            closeBurst(s);
        }
        sessions.clear();
        return closedFindings(workers);
    }

    /**
     * Closes the bursts of the sessions quiet since before {@code now} (a time on the log's clock)
     * for longer than any pause a burst may contain ({@link NPlusOneSettings#maxGap()}, or
     * {@link NPlusOneSettings#lookback()} for a loop under way): their next statement, whenever it
     * comes, would close them anyway. For a follower of a live log, which cannot wait for that next
     * statement; a session's state stays (its last SELECT is still a parent candidate).
     *
     * @return whether any burst was closed
     */
    public boolean closeQuietBursts(OffsetDateTime now) {
        double nowMs = now.toEpochSecond() * 1000.0 + now.getNano() / 1e6;
        double quietMs = Math.max(maxGapMs, lookbackMs);
        boolean closed = false;
        for (Session s : sessions.values()) {
            if (s.seq > 0 && s.lastEndMs + quietMs < nowMs) {
                closeBurst(s);
                closed = true;
            }
        }
        return closed;
    }

    /** How many loop and duplicate instances were recorded so far: when it moves, the findings changed. */
    public long recordedInstances() {
        return recorded;
    }

    /**
     * The findings of the bursts closed so far, in the order of {@link #findings()}, without
     * closing the open ones: a loop still running is not cut in two. Changes nothing.
     */
    public List<Finding> closedFindings() {
        return closedFindings(null);
    }

    private List<Finding> closedFindings(ExecutorService workers) {
        FindingWriter writer = new FindingWriter(normalizer, settings);
        List<Supplier<Finding>> toWrite = new ArrayList<>(loops.size() + duplicates.size());
        loops.values().forEach(p -> toWrite.add(() -> writer.loop(p)));
        duplicates.values().forEach(p -> toWrite.add(() -> writer.duplicate(p)));
        List<Finding> out = new ArrayList<>(toWrite.size());
        if (workers == null) {
            toWrite.forEach(w -> out.add(w.get()));
        } else {
            OrderedWork<List<Finding>> written = new OrderedWork<>(workers, Integer.MAX_VALUE, out::addAll);
            for (int from = 0; from < toWrite.size(); from += FINDINGS_PER_TASK) {
                List<Supplier<Finding>> part = toWrite.subList(from, Math.min(toWrite.size(), from + FINDINGS_PER_TASK));
                written.submit(() -> part.stream().map(Supplier::get).toList());
            }
            written.finish();
        }
        out.sort(Comparator.comparing((Finding f) -> f.category().equals(FindingWriter.DUPLICATE) ? 1 : 0)
                .thenComparing(f -> -f.severity().ordinal())
                .thenComparing(f -> -((Number) f.evidence().get("total_ms")).doubleValue())
                .thenComparing(Finding::id));
        return out;
    }

    private void closeBurst(Session session) {
        if (session.runs.isEmpty()) {
            session.resetBurst();
            return;
        }
        List<Run> loopRuns = new ArrayList<>();
        for (Run run : session.runs.values()) {
            if (run.count >= settings.minRepetitions() && run.distinct() >= settings.minDistinctParameters()) {
                loopRuns.add(run);
            } else if (run.maxSameParameters() >= settings.minDuplicates()) {
                addDuplicate(session, run);
            }
        }
        loopRuns.sort(Comparator.comparingLong(r -> r.firstSeq));
        Map<String, String> parentOfMember = new HashMap<>();
        int i = 0;
        while (i < loopRuns.size()) {
            List<Run> group = new ArrayList<>();
            long end = -1;
            do {
                Run r = loopRuns.get(i++);
                group.add(r);
                end = Math.max(end, r.lastSeq);
            } while (i < loopRuns.size() && loopRuns.get(i).firstSeq <= end);
            String parent = group.get(0).previousSelect;
            if (parent != null && parentOfMember.containsKey(parent)) {
                parent = parentOfMember.get(parent);
            }
            for (Run r : group) {
                parentOfMember.put(r.shape.fingerprint, parent);
            }
            Run parentRun = parent == null ? null : session.runs.get(parent);
            ShapeInfo parentShape = parentRun != null ? parentRun.shape : parent == null ? null : shapes.get(parent);
            addLoop(session, parentShape, parentRun == null ? null : parentRun.sample, group);
        }
        session.resetBurst();
    }

    private void addLoop(Session session, ShapeInfo parent, String parentSample, List<Run> group) {
        List<String> members = new ArrayList<>();
        for (Run r : group) {
            members.add(r.shape.fingerprint);
        }
        members.sort(null);
        String key = FindingWriter.LOOP + "/" + (parent == null ? "-" : parent.fingerprint) + "/"
                + String.join("+", members);
        Pattern pattern = loops.get(key);
        if (pattern == null) {
            if (loops.size() >= MAX_PATTERNS) {
                return;
            }
            pattern = new Pattern(key, parent, parentSample, settings.worstInstances());
            loops.put(key, pattern);
            if (parent != null) {
                parent.prefetch(normalizer, background);
            }
            for (Run r : group) {
                r.shape.prefetch(normalizer, background);
            }
        }
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        double startMs = Double.POSITIVE_INFINITY;
        double endMs = Double.NEGATIVE_INFINITY;
        double cost = 0;
        int repetitions = 0;
        for (Run r : group) {
            Pattern.Repeated rep = pattern.repeated(r);
            rep.count += r.count;
            rep.distinct += r.distinct();
            if (rep.keyIndex < 0) {
                rep.keyIndex = r.keyIndex();
            }
            cost += r.totalMs;
            repetitions += r.count;
            if (r.firstSeen != null && (start == null || r.firstSeen.isBefore(start))) {
                start = r.firstSeen;
            }
            if (r.lastSeen != null && (end == null || r.lastSeen.isAfter(end))) {
                end = r.lastSeen;
            }
            startMs = Math.min(startMs, r.firstStartMs);
            endMs = Math.max(endMs, r.lastEndMs);
        }
        double span = Double.isFinite(startMs) && Double.isFinite(endMs) ? endMs - startMs : Double.NaN;
        pattern.addInstance(new LoopInstance(session.key, session.database, session.user, session.application,
                start, end, span, cost, repetitions), cost);
        recorded++;
    }

    private void addDuplicate(Session session, Run run) {
        String key = FindingWriter.DUPLICATE + "/" + run.shape.fingerprint;
        Pattern pattern = duplicates.get(key);
        if (pattern == null) {
            if (duplicates.size() >= MAX_PATTERNS) {
                return;
            }
            pattern = new Pattern(key, null, null, settings.worstInstances());
            duplicates.put(key, pattern);
            run.shape.prefetch(normalizer, background);
        }
        Pattern.Repeated rep = pattern.repeated(run);
        rep.count += run.count;
        rep.distinct += run.distinct();
        int same = run.maxSameParameters();
        // only the copies after the first are waste
        double wasted = run.count == 0 ? 0 : run.totalMs * (same - 1) / run.count;
        double span = run.lastEndMs - run.firstStartMs;
        pattern.addInstance(new LoopInstance(session.key, session.database, session.user, session.application,
                run.firstSeen, run.lastSeen, span, wasted, same - 1), wasted);
        recorded++;
    }
}
