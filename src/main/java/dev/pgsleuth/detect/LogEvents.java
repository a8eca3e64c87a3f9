package dev.pgsleuth.detect;

import dev.pgsleuth.aggregate.BoundedCounts;
import dev.pgsleuth.detect.LogEventsSummary.EventQuery;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import dev.pgsleuth.normalize.Normalizer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Counts the server events of the entry stream that are not statement timings: errors, lock
 * waits, deadlocks, temporary files, checkpoints, autovacuum and autoanalyze, connections and
 * session durations. Messages are recognized by their fixed English prefixes
 * ({@code lc_messages} must be {@code C} or English, as for every log analyzer), with a switch on
 * the first character so that the common statement lines cost one comparison.
 *
 * <p>Not thread-safe: count per thread, then {@link #merge} the results.
 */
public final class LogEvents implements Consumer<LogEntry> {
    /** Distinct error groups, tables, users, … kept per category; more are folded. */
    static final int KEY_CAP = 1_000;
    /** Entries per list printed in the summary. */
    static final int LIST_LIMIT = 50;
    /** Sessions whose last statement, or whose temporary files waiting for one, are kept. */
    static final int SESSION_CAP = 10_000;

    private final Normalizer normalizer;
    private final boolean showValues;
    // the entry being counted and its statement's normalization, when the caller gave one
    private LogEntry current;
    private NormalizedStatement currentNormalized;

    private final Map<String, ErrorStats> errors = new HashMap<>();
    private long otherErrors;

    private long lockWaiting;
    private long lockAcquired;
    private long lockWaitMicros;
    private long lockMaxMicros;
    private final BoundedCounts lockTypes = new BoundedCounts(KEY_CAP);
    private final QueryCounts lockQueries = new QueryCounts();

    private long deadlocks;
    private final QueryCounts deadlockQueries = new QueryCounts();

    private long tempCount;
    private long tempBytes;
    private long tempMaxBytes;
    private final QueryCounts tempQueries = new QueryCounts();
    private final Map<String, long[]> pendingTemp = new HashMap<>();
    private final Map<String, LogEntry> lastExecution = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LogEntry> eldest) {
            return size() > SESSION_CAP;
        }
    };

    private long checkpointsStarted;
    private long checkpointsCompleted;
    private long checkpointsTooFrequent;
    private final BoundedCounts checkpointCauses = new BoundedCounts(KEY_CAP);
    private long checkpointMicros;
    private long checkpointMaxMicros;

    private final BoundedCounts autovacuum = new BoundedCounts(KEY_CAP);
    private final BoundedCounts autoanalyze = new BoundedCounts(KEY_CAP);

    private long connectionsReceived;
    private long connectionsAuthorized;
    private final BoundedCounts connectionDatabases = new BoundedCounts(KEY_CAP);
    private final BoundedCounts connectionUsers = new BoundedCounts(KEY_CAP);
    private long sessions;
    private long sessionMicros;
    private long sessionMaxMicros;

    /**
     * @param normalizer gives the statements of events their fingerprint and masked text
     * @param showValues print error example statements as logged instead of normalized
     */
    public LogEvents(Normalizer normalizer, boolean showValues) {
        this.normalizer = normalizer;
        this.showValues = showValues;
    }

    @Override
    public void accept(LogEntry e) {
        accept(e, null);
    }

    /**
     * Counts {@code e} whose statement was already normalized into {@code normalized} (or
     * {@code null}: normalized here when an event needs it), so a pipeline that normalizes each
     * statement once for all stages does not pay again.
     */
    public void accept(LogEntry e, NormalizedStatement normalized) {
        current = e;
        currentNormalized = normalized;
        try {
            count(e);
        } finally {
            current = null;
            currentNormalized = null;
        }
    }

    private NormalizedStatement normalized(LogEntry e) {
        if (e == current && currentNormalized != null) {
            return currentNormalized;
        }
        return normalizer.normalize(e.statement());
    }

    private void count(LogEntry e) {
        if (e.isExecution()) {
            lastExecution.put(e.sessionKey(), e);
            if (!pendingTemp.isEmpty()) {
                long[] pending = pendingTemp.remove(e.sessionKey());
                if (pending != null) {
                    tempQueries.add(normalized(e), pending[0], pending[1]);
                }
            }
        }
        if (e.phase() != null) {
            // A statement line (statement, parse, bind, execute, duration with its text, a plan)
            // is never an event. Leaving its message unread saves a cache miss per entry on two
            // threads, where the message was decoded on the other core (JFR: 3% of such a run).
            return;
        }
        String m = e.message();
        Severity sev = e.severity();
        if (m == null || m.isEmpty() || sev == null) {
            return;
        }
        if (sev == Severity.ERROR || sev == Severity.FATAL || sev == Severity.PANIC) {
            error(e, sev, m);
            return;
        }
        switch (m.charAt(0)) {
            case 'a' -> maintenance(m);
            case 'c' -> checkpointOrConnection(m);
            case 'd' -> {
                if (m.startsWith("disconnection: session time: ")) {
                    double ms = LogEventsText.sessionTimeMs(m, "disconnection: session time: ".length());
                    if (!Double.isNaN(ms)) {
                        long micros = Math.round(ms * 1000);
                        sessions++;
                        sessionMicros += micros;
                        sessionMaxMicros = Math.max(sessionMaxMicros, micros);
                    }
                }
            }
            case 'p' -> {
                if (m.startsWith("process ")) {
                    lock(e, m);
                }
            }
            case 't' -> {
                if (m.startsWith("temporary file: path \"")) {
                    tempFile(e, m);
                }
            }
            default -> {
                // statement, duration and other messages are not events
            }
        }
    }

    private void error(LogEntry e, Severity sev, String m) {
        String normalized = LogEventsText.normalizeMessage(m);
        String key = sev.name() + '\u0000' + e.sqlState() + '\u0000' + normalized;
        ErrorStats s = errors.get(key);
        if (s == null) {
            if (errors.size() >= KEY_CAP) {
                otherErrors++;
                return;
            }
            s = new ErrorStats(sev.name().toLowerCase(Locale.ROOT), e.sqlState(), normalized);
            errors.put(key, s);
        }
        NormalizedStatement ns = e.statement() == null ? null : normalized(e);
        s.add(1, e.timestamp(), e.timestamp(), ns, showValues ? e.statement() : null);
        if (m.equals("deadlock detected")) {
            deadlocks++;
            if (ns != null) {
                deadlockQueries.add(ns, 1, 0);
            }
        }
    }

    private void lock(LogEntry e, String m) {
        boolean waiting = m.contains(" still waiting for ");
        boolean acquired = !waiting && m.contains(" acquired ");
        if (!waiting && !acquired) {
            return;
        }
        String marker = waiting ? " still waiting for " : " acquired ";
        lockTypes.add(LogEventsText.wordAfter(m, marker), 1);
        int after = m.lastIndexOf(" after ");
        double ms = after < 0 ? Double.NaN : LogEventsText.decimalAt(m, after + " after ".length());
        long micros = Double.isNaN(ms) ? 0 : Math.round(ms * 1000);
        lockMaxMicros = Math.max(lockMaxMicros, micros);
        if (waiting) {
            lockWaiting++;
            if (e.statement() != null) {
                lockQueries.add(normalized(e), 1, 0);
            }
        } else {
            lockAcquired++;
            lockWaitMicros += micros;
            if (e.statement() != null) {
                lockQueries.add(normalized(e), 0, micros / 1000.0);
            }
        }
    }

    private void tempFile(LogEntry e, String m) {
        int size = m.lastIndexOf(", size ");
        long bytes = size < 0 ? -1 : LogEventsText.longAt(m, size + ", size ".length());
        if (bytes < 0) {
            return;
        }
        tempCount++;
        tempBytes += bytes;
        tempMaxBytes = Math.max(tempMaxBytes, bytes);
        LogEntry last = lastExecution.get(e.sessionKey());
        if (e.statement() != null) {
            tempQueries.add(normalized(e), 1, bytes);
        } else if (last != null && last.phase() == StatementPhase.EXECUTE) {
            // The extended protocol drops the portal, and so logs its temporary files, after the
            // execute line of the statement that wrote them.
            tempQueries.add(normalizer.normalize(last.statement()), 1, bytes);
        } else {
            // The simple protocol drops the portal before it logs the statement's duration line,
            // which is the next execution of the same session.
            long[] pending = pendingTemp.get(e.sessionKey());
            if (pending != null) {
                pending[0]++;
                pending[1] += bytes;
            } else if (pendingTemp.size() < SESSION_CAP) {
                pendingTemp.put(e.sessionKey(), new long[] {1, bytes});
            }
        }
    }

    private void checkpointOrConnection(String m) {
        if (m.startsWith("checkpoint starting: ")) {
            checkpointsStarted++;
            checkpointCauses.add(m.substring("checkpoint starting: ".length()).strip(), 1);
        } else if (m.startsWith("checkpoint complete: ")) {
            checkpointsCompleted++;
            int t = m.indexOf(" total=");
            double s = t < 0 ? Double.NaN : LogEventsText.decimalAt(m, t + " total=".length());
            if (!Double.isNaN(s)) {
                long micros = Math.round(s * 1_000_000);
                checkpointMicros += micros;
                checkpointMaxMicros = Math.max(checkpointMaxMicros, micros);
            }
        } else if (m.startsWith("checkpoints are occurring too frequently")) {
            checkpointsTooFrequent++;
        } else if (m.startsWith("connection received: ")) {
            connectionsReceived++;
        } else if (m.startsWith("connection authorized: ")) {
            connectionsAuthorized++;
            connectionUsers.add(LogEventsText.wordAfter(m, " user="), 1);
            connectionDatabases.add(LogEventsText.wordAfter(m, " database="), 1);
        }
    }

    private void maintenance(String m) {
        if (!m.startsWith("automatic ")) {
            return;
        }
        int of = m.indexOf(" of table \"");
        if (of < 0) {
            return;
        }
        int from = of + " of table \"".length();
        int end = m.indexOf('"', from);
        String table = end < 0 ? null : m.substring(from, end);
        String what = m.substring("automatic ".length(), of);
        if (what.equals("analyze")) {
            autoanalyze.add(table, 1);
        } else if (what.contains("vacuum")) {
            autovacuum.add(table, 1);
        }
    }

    /**
     * Adds what {@code other} counted to this one. Temporary files still waiting for their
     * statement in {@code other} count in the totals only.
     */
    public void merge(LogEvents other) {
        other.errors.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            ErrorStats o = en.getValue();
            ErrorStats s = errors.get(en.getKey());
            if (s == null) {
                if (errors.size() >= KEY_CAP) {
                    otherErrors += o.count;
                    return;
                }
                s = new ErrorStats(o.severity, o.sqlstate, o.message);
                errors.put(en.getKey(), s);
            }
            s.addAll(o);
        });
        otherErrors += other.otherErrors;
        lockWaiting += other.lockWaiting;
        lockAcquired += other.lockAcquired;
        lockWaitMicros += other.lockWaitMicros;
        lockMaxMicros = Math.max(lockMaxMicros, other.lockMaxMicros);
        lockTypes.addAll(other.lockTypes);
        lockQueries.addAll(other.lockQueries);
        deadlocks += other.deadlocks;
        deadlockQueries.addAll(other.deadlockQueries);
        tempCount += other.tempCount;
        tempBytes += other.tempBytes;
        tempMaxBytes = Math.max(tempMaxBytes, other.tempMaxBytes);
        tempQueries.addAll(other.tempQueries);
        checkpointsStarted += other.checkpointsStarted;
        checkpointsCompleted += other.checkpointsCompleted;
        checkpointsTooFrequent += other.checkpointsTooFrequent;
        checkpointCauses.addAll(other.checkpointCauses);
        checkpointMicros += other.checkpointMicros;
        checkpointMaxMicros = Math.max(checkpointMaxMicros, other.checkpointMaxMicros);
        autovacuum.addAll(other.autovacuum);
        autoanalyze.addAll(other.autoanalyze);
        connectionsReceived += other.connectionsReceived;
        connectionsAuthorized += other.connectionsAuthorized;
        connectionDatabases.addAll(other.connectionDatabases);
        connectionUsers.addAll(other.connectionUsers);
        sessions += other.sessions;
        sessionMicros += other.sessionMicros;
        sessionMaxMicros = Math.max(sessionMaxMicros, other.sessionMaxMicros);
    }

    /** Error occurrences beyond the cap on distinct error groups. */
    public long otherErrors() {
        return otherErrors;
    }

    /** A snapshot of everything counted so far. */
    public LogEventsSummary summary() {
        List<LogEventsSummary.ErrorGroup> errorList = new ArrayList<>();
        for (ErrorStats s : errors.values()) {
            errorList.add(new LogEventsSummary.ErrorGroup(s.severity, s.sqlstate, s.message, s.count,
                    s.firstSeen, s.lastSeen, s.fingerprint, s.example));
        }
        errorList.sort(Comparator.comparingLong(LogEventsSummary.ErrorGroup::count).reversed()
                .thenComparing(LogEventsSummary.ErrorGroup::message)
                .thenComparing(LogEventsSummary.ErrorGroup::severity)
                .thenComparing(g -> g.sqlstate() == null ? "" : g.sqlstate()));
        return new LogEventsSummary(
                errorList,
                new LogEventsSummary.LockWaits(lockWaiting, lockAcquired, ms(lockWaitMicros),
                        ms(lockMaxMicros), lockTypes.asMap(), lockQueries.top(false)),
                new LogEventsSummary.Deadlocks(deadlocks, deadlockQueries.top(false)),
                new LogEventsSummary.TempFiles(tempCount, tempBytes, tempMaxBytes, tempQueries.top(true)),
                new LogEventsSummary.Checkpoints(checkpointsStarted, checkpointsCompleted,
                        checkpointsTooFrequent, checkpointCauses.asMap(), ms(checkpointMicros),
                        ms(checkpointMaxMicros)),
                new LogEventsSummary.Maintenance(autovacuum.total(), autovacuum.asMap()),
                new LogEventsSummary.Maintenance(autoanalyze.total(), autoanalyze.asMap()),
                new LogEventsSummary.Connections(connectionsReceived, connectionsAuthorized,
                        connectionDatabases.asMap(), connectionUsers.asMap(),
                        new LogEventsSummary.Sessions(sessions, ms(sessionMicros),
                                sessions == 0 ? null : ms(Math.round((double) sessionMicros / sessions)),
                                sessions == 0 ? null : ms(sessionMaxMicros))));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** One error group's running counts. */
    private static final class ErrorStats {
        final String severity;
        final String sqlstate;
        final String message;
        long count;
        OffsetDateTime firstSeen;
        OffsetDateTime lastSeen;
        String fingerprint;
        String example;

        ErrorStats(String severity, String sqlstate, String message) {
            this.severity = severity;
            this.sqlstate = sqlstate;
            this.message = message;
        }

        void add(long n, OffsetDateTime first, OffsetDateTime last, NormalizedStatement ns, String raw) {
            count += n;
            if (first != null && (firstSeen == null || first.isBefore(firstSeen))) {
                firstSeen = first;
            }
            if (last != null && (lastSeen == null || last.isAfter(lastSeen))) {
                lastSeen = last;
            }
            if (fingerprint == null && ns != null) {
                fingerprint = ns.fingerprint();
                example = raw != null ? raw : ns.text();
            }
        }

        void addAll(ErrorStats o) {
            count += o.count;
            if (o.firstSeen != null && (firstSeen == null || o.firstSeen.isBefore(firstSeen))) {
                firstSeen = o.firstSeen;
            }
            if (o.lastSeen != null && (lastSeen == null || o.lastSeen.isAfter(lastSeen))) {
                lastSeen = o.lastSeen;
            }
            if (fingerprint == null) {
                fingerprint = o.fingerprint;
                example = o.example;
            }
        }
    }

    /** Events per statement shape, for at most {@link #KEY_CAP} shapes. */
    private static final class QueryCounts {
        private final Map<String, Counted> byFingerprint = new HashMap<>();

        void add(NormalizedStatement ns, long count, double amount) {
            add(ns.fingerprint(), ns.text(), count, amount);
        }

        void add(String fingerprint, String text, long count, double amount) {
            Counted c = byFingerprint.get(fingerprint);
            if (c == null) {
                if (byFingerprint.size() >= KEY_CAP) {
                    return;
                }
                c = new Counted(text);
                byFingerprint.put(fingerprint, c);
            }
            c.count += count;
            c.amount += amount;
        }

        void addAll(QueryCounts o) {
            o.byFingerprint.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(en -> add(en.getKey(), en.getValue().text, en.getValue().count, en.getValue().amount));
        }

        List<EventQuery> top(boolean byAmount) {
            List<EventQuery> all = new ArrayList<>();
            byFingerprint.forEach((fp, c) -> all.add(new EventQuery(fp, c.text, c.count,
                    Math.round(c.amount * 1000) / 1000.0)));
            Comparator<EventQuery> order = byAmount
                    ? Comparator.comparingDouble(EventQuery::amount).reversed()
                            .thenComparing(Comparator.comparingLong(EventQuery::count).reversed())
                    : Comparator.comparingLong(EventQuery::count).reversed()
                            .thenComparing(Comparator.comparingDouble(EventQuery::amount).reversed());
            all.sort(order.thenComparing(EventQuery::fingerprint));
            return all.size() > LIST_LIMIT ? List.copyOf(all.subList(0, LIST_LIMIT)) : all;
        }

        private static final class Counted {
            final String text;
            long count;
            double amount;

            Counted(String text) {
                this.text = text;
            }
        }
    }
}
