package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns raw entries of any format into entries whose statement fields are filled, and forwards them.
 *
 * <ul>
 *   <li>{@code duration: X ms  statement: …} and {@code statement: …} become {@link StatementPhase#SIMPLE};
 *       {@code parse}, {@code bind}, {@code execute [fetch from] <name>[/<portal>]: …} become
 *       PARSE, BIND, EXECUTE ({@code <unnamed>} gives a {@code null} prepared name); bind values come
 *       from the DETAIL {@code parameters:} / {@code Parameters:} list.</li>
 *   <li>A statement logged without duration ({@code log_statement}) is joined with the bare
 *       {@code duration: X ms} its session logs when it ends; the pair is forwarded once.</li>
 *   <li>An auto_explain plan ({@code duration: X ms  plan: …}) is attached to the statement it was
 *       logged for. PostgreSQL writes it before that statement's duration line for most statements,
 *       and after it for a SELECT run through the extended protocol (the portal ends at Sync), so an
 *       execution is held until the next statement of its session. A plan whose statement line
 *       never comes is forwarded as the execution itself, with the plan's duration.</li>
 *   <li>An ERROR / FATAL / PANIC keeps its STATEMENT text with a {@code null} phase.</li>
 *   <li>pgsleuth's own statements (application_name {@code pgsleuth}, or text starting with
 *       {@code /* pgsleuth *}{@code /}) are dropped and counted ({@link #ownStatementsDropped()}).</li>
 *   <li>Everything else passes through unchanged.</li>
 * </ul>
 *
 * <p>Held state is at most one statement and one plan per session. It is released by the session's
 * next statement, its errors, its {@code disconnection} line, after a few seconds of log time, when
 * more than a bounded number of sessions hold something (oldest first), and by {@link #finish()}.
 * When a held line had to be released early and its counterpart still comes (a plan after its
 * execution, a statement line after its plan), the counterpart is forwarded with a {@code null}
 * phase so the statement is never counted twice. Not thread-safe: one instance per entry stream.
 */
public final class StatementInterpreter implements Consumer<LogEntry.Builder> {

    /** application_name of pgsleuth's own connections. */
    public static final String OWN_APPLICATION = "pgsleuth";
    /** Comment that starts every statement pgsleuth sends. */
    public static final String OWN_MARKER = "/* pgsleuth */";

    static final int DEFAULT_MAX_SESSIONS = 100_000;
    /** Log seconds an execution waits for a late plan, or a plan for its statement line. */
    static final long DEFAULT_HOLD_SECONDS = 10;
    /** Log seconds a {@code statement:} line waits for its bare duration line (a long query). */
    static final long DEFAULT_DURATION_WAIT_SECONDS = 3600;

    /** A statement ({@code plan} false) or plan released before its counterpart line came. */
    private record Forced(String text, boolean plan) {
    }

    /** What one session holds back. */
    private static final class Pending {
        String key;
        LogEntry.Builder statement;
        String statementText;
        boolean awaitingDuration;
        boolean statementHasPlan;
        boolean statementHasParameters;
        LogEntry.Builder plan;
        String planBody;
        double planDuration;
        long since;

        boolean isEmpty() {
            return statement == null && plan == null;
        }
    }

    private final Consumer<LogEntry> downstream;
    private final int maxSessions;
    private final long holdSeconds;
    private final long durationWaitSeconds;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    /**
     * Sessions whose held statement or plan was released early (too many sessions, or too long a
     * wait), with its text: if the counterpart line still comes as the session's next statement
     * line, it is forwarded without counting the statement a second time.
     */
    private final LinkedHashMap<String, Forced> forced;
    private boolean bareDurationSeen;
    private long lastSweepSecond = Long.MIN_VALUE;
    private long ownDropped;
    private int lastPid = Integer.MIN_VALUE;
    private String lastPidKey;

    /** The message just classified (a reader may have classified it already, see {@link MessageForm#applyTo}). */
    private final MessageForm form = new MessageForm();
    // the message just classified, copied from the form
    private MessageForm.Kind kind;
    private StatementPhase phase;
    private String text;
    private String preparedName;
    private double duration;

    /** Forwards interpreted entries to {@code downstream}, in input order per session. */
    public StatementInterpreter(Consumer<LogEntry> downstream) {
        this(downstream, DEFAULT_MAX_SESSIONS, DEFAULT_HOLD_SECONDS, DEFAULT_DURATION_WAIT_SECONDS);
    }

    StatementInterpreter(Consumer<LogEntry> downstream, int maxSessions, long holdSeconds, long durationWaitSeconds) {
        this.downstream = downstream;
        this.maxSessions = maxSessions;
        this.holdSeconds = holdSeconds;
        this.durationWaitSeconds = durationWaitSeconds;
        int forcedRoom = Math.max(1024, maxSessions);
        this.forced = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Forced> eldest) {
                return size() > forcedRoom;
            }
        };
    }

    /** Entries of pgsleuth's own statements that were dropped. */
    public long ownStatementsDropped() {
        return ownDropped;
    }

    /** Sessions currently holding a statement or plan back. */
    public int pendingSessions() {
        return pending.size();
    }

    @Override
    public void accept(LogEntry.Builder raw) {
        OffsetDateTime ts = raw.timestamp();
        if (ts != null) {
            long second = ts.toEpochSecond();
            if (second > lastSweepSecond) {
                lastSweepSecond = second;
                sweep(second);
            }
        }
        Severity severity = raw.severity();
        if (severity != null && severity.isError()) {
            // the failed statement ends here: nothing it held will be completed
            flushSession(raw);
            emit(raw.build());
            return;
        }
        if (raw.phase() != null) {
            // the reader classified the one-line message already
            kind = MessageForm.Kind.STATEMENT;
            phase = raw.phase();
            text = raw.statement();
            preparedName = raw.preparedName();
            duration = raw.durationMs();
        } else {
            form.classify(raw.message());
            kind = form.kind;
            phase = form.phase;
            text = form.text;
            preparedName = form.preparedName;
            duration = form.duration;
        }
        switch (kind) {
            case STATEMENT -> statement(raw);
            case DURATION_ONLY -> bareDuration(raw);
            case PLAN -> plan(raw);
            default -> other(raw);
        }
    }

    /** Forwards everything still held; call at the end of input (or when a followed log goes idle). */
    public void finish() {
        for (Pending p : pending.values()) {
            release(p);
        }
        pending.clear();
    }

    private void statement(LogEntry.Builder raw) {
        boolean hasDuration = !Double.isNaN(duration);
        raw.phase(phase).statement(text).preparedName(preparedName);
        if (hasDuration) {
            raw.durationMs(duration);
        }
        // a reader may have read the values of a one-line DETAIL already
        List<String> parameters = raw.parameters().isEmpty()
                ? BindParameters.fromDetail(raw.detail())
                : raw.parameters();
        if (!parameters.isEmpty()) {
            raw.parameters(parameters);
        }
        if (phase == StatementPhase.PARSE || phase == StatementPhase.BIND) {
            // not executions; a held execute of this session may still get its plan
            emit(raw.build());
            return;
        }
        String key = key(raw);
        Forced f = forced.isEmpty() ? null : forced.remove(key);
        if (f != null && f.plan() && hasDuration && f.text().equals(text)) {
            // its plan was already counted as the execution
            emit(raw.phase(null).build());
            return;
        }
        Pending p = pending.get(key);
        if (p != null && p.statement != null) {
            emit(p.statement.build());
            p.statement = null;
        }
        if (hasDuration && p != null && p.plan != null) {
            if (AutoExplainPlan.isPlanOf(p.planBody, text)) {
                attachPlan(raw, AutoExplainPlan.parse(p.planBody, text), !parameters.isEmpty());
                p.plan = null;
                p.planBody = null;
                emit(raw.build());
                if (p.isEmpty()) {
                    pending.remove(key);
                }
                return;
            }
            releasePlan(p);
        } else if (!hasDuration && p != null && p.plan != null) {
            releasePlan(p);
        }
        if (p == null) {
            p = new Pending();
        }
        p.statement = raw;
        p.statementText = text;
        p.awaitingDuration = !hasDuration;
        p.statementHasPlan = false;
        p.statementHasParameters = !parameters.isEmpty();
        hold(key, p, raw);
    }

    private void bareDuration(LogEntry.Builder raw) {
        bareDurationSeen = true;
        String key = key(raw);
        if (!forced.isEmpty()) {
            forced.remove(key);
        }
        Pending p = pending.get(key);
        if (p == null || p.statement == null || !p.awaitingDuration) {
            raw.durationMs(duration);
            emit(raw.build());
            return;
        }
        p.statement.durationMs(duration);
        p.awaitingDuration = false;
        if (p.statementHasPlan) {
            emit(p.statement.build());
            p.statement = null;
            if (p.isEmpty()) {
                pending.remove(key);
            }
        } else {
            // an extended-protocol SELECT logs its plan only after this line
            hold(key, p, raw);
        }
    }

    private void plan(LogEntry.Builder raw) {
        String body = text;
        String key = key(raw);
        Forced f = forced.isEmpty() ? null : forced.remove(key);
        if (f != null && !f.plan() && AutoExplainPlan.isPlanOf(body, f.text())) {
            // the execution it belongs to was already forwarded: keep the plan, count nothing
            AutoExplainPlan parsed = AutoExplainPlan.parse(body, f.text());
            emit(raw.durationMs(duration).statement(parsed.queryText()).plan(parsed.plan()).build());
            return;
        }
        Pending p = pending.get(key);
        if (p != null && p.statement != null && !p.statementHasPlan && AutoExplainPlan.isPlanOf(body, p.statementText)) {
            attachPlan(p.statement, AutoExplainPlan.parse(body, p.statementText), p.statementHasParameters);
            p.statementHasPlan = true;
            if (!p.awaitingDuration) {
                emit(p.statement.build());
                p.statement = null;
                if (p.isEmpty()) {
                    pending.remove(key);
                }
            }
            return;
        }
        if (p == null) {
            p = new Pending();
        } else if (p.plan != null) {
            releasePlan(p);
        }
        p.plan = raw;
        p.planBody = body;
        p.planDuration = duration;
        hold(key, p, raw);
    }

    private void other(LogEntry.Builder raw) {
        if (!Double.isNaN(duration)) {
            raw.durationMs(duration);
        }
        if (!pending.isEmpty()) {
            String key = key(raw);
            Pending p = pending.get(key);
            if (p != null) {
                String message = raw.message();
                if (message != null && message.startsWith("disconnection: ")) {
                    pending.remove(key);
                    release(p);
                } else if (p.statement != null && !p.awaitingDuration) {
                    // keep the session's order: its finished statement came before this entry
                    emit(p.statement.build());
                    p.statement = null;
                    if (p.isEmpty()) {
                        pending.remove(key);
                    }
                }
            }
        }
        emit(raw.build());
    }

    private void flushSession(LogEntry.Builder raw) {
        if (pending.isEmpty()) {
            return;
        }
        Pending p = pending.remove(key(raw));
        if (p != null) {
            release(p);
        }
    }

    private static void attachPlan(LogEntry.Builder statement, AutoExplainPlan plan, boolean hasParameters) {
        statement.plan(plan.plan());
        if (!hasParameters && !plan.parameters().isEmpty()) {
            statement.parameters(plan.parameters());
        }
    }

    /** Re-inserts {@code p} as the newest holder, releasing the oldest when there are too many. */
    private void hold(String key, Pending p, LogEntry.Builder cause) {
        p.key = key;
        OffsetDateTime ts = cause.timestamp();
        if (ts != null) {
            p.since = ts.toEpochSecond();
        } else {
            // without a time the holder is released by the next sweep (or its session)
            p.since = lastSweepSecond == Long.MIN_VALUE ? 0 : lastSweepSecond;
        }
        pending.remove(key);
        pending.put(key, p);
        if (pending.size() > maxSessions) {
            Iterator<Pending> it = pending.values().iterator();
            Pending eldest = it.next();
            it.remove();
            forceRelease(eldest);
        }
    }

    /**
     * Releases the finished executions held (for a plan that may follow) whose time is before
     * {@code before}, as the sweep would a few seconds later: a follower of a live log calls it so
     * that a session gone quiet has all its statements downstream. Statements still waiting for
     * their duration line stay held.
     */
    public void releaseFinishedBefore(OffsetDateTime before) {
        Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Pending p = it.next().getValue();
            LogEntry.Builder held = p.statement != null ? p.statement : p.plan;
            if (held == null || p.statement != null && p.awaitingDuration || held.timestamp() == null
                    || !held.timestamp().isBefore(before)) {
                continue;
            }
            it.remove();
            forceRelease(p);
        }
    }

    /** Releases what waited too long (in log time); holders are ordered by when they last changed. */
    private void sweep(long now) {
        if (pending.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Pending p = it.next().getValue();
            long age = now - p.since;
            if (age < holdSeconds) {
                break;
            }
            boolean waitsForDuration = p.statement != null && p.awaitingDuration && bareDurationSeen;
            if (!waitsForDuration || age >= durationWaitSeconds) {
                it.remove();
                forceRelease(p);
            }
        }
    }

    private void forceRelease(Pending p) {
        Forced f = null;
        if (p.plan != null) {
            String query = AutoExplainPlan.parse(p.planBody, null).queryText();
            f = query == null ? null : new Forced(query, true);
        } else if (p.statement != null && !p.statementHasPlan) {
            f = new Forced(p.statementText, false);
        }
        release(p);
        if (f != null) {
            forced.put(p.key, f);
        }
    }

    private void release(Pending p) {
        releasePlan(p);
        if (p.statement != null) {
            emit(p.statement.build());
            p.statement = null;
        }
    }

    /** A plan no statement line claimed is the execution itself, with the plan's duration. */
    private void releasePlan(Pending p) {
        if (p.plan == null) {
            return;
        }
        AutoExplainPlan plan = AutoExplainPlan.parse(p.planBody, null);
        LogEntry.Builder b = p.plan.durationMs(p.planDuration).plan(plan.plan());
        if (plan.queryText() != null) {
            b.statement(plan.queryText()).phase(StatementPhase.SIMPLE);
            if (!plan.parameters().isEmpty()) {
                b.parameters(plan.parameters());
            }
        }
        p.plan = null;
        p.planBody = null;
        emit(b.build());
    }

    private void emit(LogEntry e) {
        if (OWN_APPLICATION.equals(e.application()) || isOwnText(e.statement())) {
            ownDropped++;
            return;
        }
        downstream.accept(e);
    }

    private static boolean isOwnText(String s) {
        if (s == null) {
            return false;
        }
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.startsWith(OWN_MARKER, i);
    }

    private String key(LogEntry.Builder raw) {
        String sid = raw.sessionId();
        if (sid != null) {
            return sid;
        }
        int pid = raw.pid();
        if (pid < 0) {
            return "unknown";
        }
        if (pid != lastPid) {
            lastPid = pid;
            lastPidKey = "pid:" + pid;
        }
        return lastPidKey;
    }
}
