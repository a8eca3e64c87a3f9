package dev.pgsleuth.bench;

import dev.pgsleuth.bench.ShapeCatalog.Family;
import java.io.IOException;
import java.io.OutputStream;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;

/**
 * The simulated server: a fixed number of concurrent client sessions, picked at random one step
 * at a time (so their lines interleave as in a real log), plus the checkpointer and autovacuum
 * workers. One step is one client round trip: a connection, one statement in simple or extended
 * protocol, or a disconnection.
 */
final class Workload {
    /** Concurrent sessions. Slots below PGBENCH_SLOTS run pgbench, then ORM, then reports. */
    private static final int ACTIVE = 32;
    private static final int PGBENCH_SLOTS = 16;
    private static final int ORM_SLOTS = 12;
    /** The first generated selects, updates and inserts are the application's hot statements. */
    private static final int HOT = ShapeCatalog.TABLES.length;
    /** pgjdbc's prepareThreshold: the fifth execution of a statement switches to a named one. */
    private static final int PREPARE_THRESHOLD = 5;
    private static final long CHECKPOINT_EVERY = 30_000_000L;
    private static final int AUTOVACUUM_EVERY = 7_000_000;
    /** From this far before the target on, the cost of ending the log is estimated at every step. */
    private static final long DRAIN_WINDOW = 1 << 20;
    private static final String HBA = " method=trust (/var/lib/postgresql/17/main/pg_hba.conf:121)";

    private static final String[] TEXTS = {
        "Alice Martin", "O'Brien, \"Jr.\"", "Zoë Šimić", "Smith & Sons, Ltd.", "it's \"fine\", really",
        "Main St. 5, 2nd floor", "Åsa Öberg", "a,b,c", "D'Angelo", "Müller-Lüdenscheidt", "50% off, today only",
        "C:\\temp\\export", "Ο Ζορμπάς", "東京都", "red", "blue, green", "XL", "back-order", "n/a", "",
    };
    private static final String[] STATUSES = {"new", "paid", "shipped", "cancelled", "refunded"};
    private static final String[] COUNTRIES = {"NL", "DE", "FR", "US", "GB", "JP", "BR"};
    private static final String[] ORM_APPS = {"shop-web", "shop-api", "PostgreSQL JDBC Driver"};
    private static final String[] CLIENTS = {"10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14"};

    private enum Type { PGBENCH, ORM, REPORT }

    /** One client session and where it is in its script. */
    private static final class Session {
        final Type type;
        final int slot;
        Proc proc;
        long startMicros;
        int unitsLeft;
        boolean connected;
        boolean applicationSet;
        boolean ended;
        /** Next pgbench statement of the open transaction, or -1. */
        int txStep = -1;
        int aid, bid, tid, delta;
        /** Lookups left in the open N+1 loop, or 0. */
        int loopLeft;
        int loopChild;
        int loopKey;
        /** pgjdbc's per-connection statement cache: shape, executions, name number. */
        final int[] psShape = new int[32];
        final int[] psUses = new int[32];
        final int[] psName = new int[32];
        int psCount;
        int nextName = 1;

        Session(Type type, int slot) {
            this.type = type;
            this.slot = slot;
        }

        boolean busy() {
            return txStep >= 0 || loopLeft > 0;
        }
    }

    private final SyntheticLog.Settings settings;
    private final ByteSink sink;
    private final LogClock clock = new LogClock();
    private final RecordWriter writer;
    private final Rec rec = new Rec();
    private final ShapeCatalog catalog;
    private final Rng rng;
    private final long[] counts = new long[EntryKind.values().length];
    private final BitSet executed;
    private final Session[] active = new Session[ACTIVE];
    private final StringBuilder params = new StringBuilder(1024);
    private final StringBuilder statement = new StringBuilder(2048);
    private final StringBuilder detail = new StringBuilder(256);
    private final StringBuilder context = new StringBuilder(128);
    private final String[] names = new String[33];

    /** Set when the log is near its size: no new work, sessions end. */
    private boolean draining;
    private int nextPid = 21_000;
    private int nextPort = 40_000;
    private long nextXid = 7_000;
    private int ormCursor;
    private int reportCursor;
    private int loopOwner = -1;
    private long sessions;
    private long loops;
    private long lookups;

    private final Proc checkpointer;
    private long nextCheckpoint = CHECKPOINT_EVERY / 2;
    private long checkpointDone = -1;
    private long nextAutovacuum = AUTOVACUUM_EVERY / 3;

    Workload(SyntheticLog.Settings settings, OutputStream out) {
        this.settings = settings;
        this.sink = new ByteSink(out);
        this.writer = RecordWriter.of(settings.format(), clock, sink);
        this.catalog = new ShapeCatalog(settings.shapes(), RecordWriter.escape(settings.format()));
        this.rng = new Rng(settings.seed());
        this.executed = new BitSet(settings.shapes());
        this.checkpointer = new Proc(1_012, clock, "checkpointer", false, 0, null, 0);
        for (int i = 1; i < names.length; i++) {
            names[i] = "S_" + i;
        }
    }

    Summary run() throws IOException {
        for (int i = 0; i < ACTIVE; i++) {
            active[i] = newSession(i);
        }
        long target = settings.targetBytes();
        int live = ACTIVE;
        while (live > 0) {
            if (!draining && sink.count() + DRAIN_WINDOW >= target && sink.count() + drainEstimate() >= target) {
                draining = true;
            }
            background();
            int i = loopOwner >= 0 && rng.nextInt(4) != 0 ? loopOwner : rng.nextInt(ACTIVE);
            while (active[i].ended) {
                i = (i + 1) % ACTIVE;
            }
            Session s = active[i];
            step(s);
            if (s.ended) {
                if (draining) {
                    live--;
                } else {
                    active[i] = newSession(i);
                }
            }
        }
        if (checkpointDone >= 0) {
            checkpointComplete();
        }
        sink.flush();
        Map<EntryKind, Long> byKind = new EnumMap<>(EntryKind.class);
        long entries = 0;
        for (EntryKind k : EntryKind.values()) {
            byKind.put(k, counts[k.ordinal()]);
            entries += counts[k.ordinal()];
        }
        return new Summary(settings.format(), sink.count(), sink.lines(), entries, byKind, settings.shapes(),
                executed.cardinality(), sessions, loops, lookups);
    }

    private Session newSession(int slot) {
        Type type = slot < PGBENCH_SLOTS ? Type.PGBENCH : slot < PGBENCH_SLOTS + ORM_SLOTS ? Type.ORM : Type.REPORT;
        Session s = new Session(type, slot);
        s.unitsLeft = switch (type) {
            case PGBENCH -> rng.between(50, 500);
            case ORM -> rng.between(10, 200);
            case REPORT -> rng.between(2, 20);
        };
        return s;
    }

    private void step(Session s) throws IOException {
        if (draining && !s.busy()) {
            // The end of the log: open work is finished, then every session says goodbye.
            if (s.connected) {
                disconnect(s);
            } else {
                s.ended = true;
            }
        } else if (!s.connected) {
            connect(s);
        } else if (!s.applicationSet) {
            setApplicationName(s);
        } else if (s.txStep >= 0) {
            pgbenchStatement(s);
        } else if (s.loopLeft > 0) {
            loopLookup(s);
        } else if (s.unitsLeft == 0) {
            disconnect(s);
        } else {
            s.unitsLeft--;
            switch (s.type) {
                case PGBENCH -> beginTransaction(s);
                case ORM -> ormUnit(s);
                case REPORT -> report(s);
            }
        }
    }

    /**
     * Roughly the bytes that finishing the open transactions and loops and disconnecting every
     * session will write, so that the log ends near its target size.
     */
    private long drainEstimate() {
        int overhead = overhead();
        long bytes = 0;
        for (Session s : active) {
            if (!s.connected || s.ended) {
                continue;
            }
            bytes += overhead + 110;
            if (s.txStep >= 0) {
                bytes += (7 - s.txStep) * 3L * (overhead + 90);
            }
            if (s.loopLeft > 0) {
                bytes += s.loopLeft * lookupEstimate(s.loopChild);
            }
        }
        return bytes;
    }

    /** Bytes of a record's fixed part (prefix, csv columns, json keys). */
    private int overhead() {
        return switch (settings.format()) {
            case CSVLOG -> 190;
            case JSONLOG -> 330;
            default -> 110;
        };
    }

    /** Roughly the bytes of one N+1 lookup: bind and execute with their parameters. */
    private long lookupEstimate(int shape) {
        return 3L * overhead() + 2L * (catalog.text(shape).length() + 45) + 70;
    }

    /**
     * How many lookups an N+1 loop may still have, so that the log does not overshoot its size
     * by a whole loop that started just before the end.
     */
    private int lookupsThatFit(int child) {
        long room = settings.targetBytes() - sink.count();
        if (room > DRAIN_WINDOW) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(0, (room - drainEstimate()) / lookupEstimate(child));
    }

    // ---------------------------------------------------------------- sessions

    private void connect(Session s) throws IOException {
        tick(2000);
        nextPid += rng.between(1, 4);
        nextPort = nextPort >= 60_990 ? 32_768 : nextPort + rng.between(1, 9);
        Proc p = new Proc(nextPid, clock, "client backend", true, s.slot + 3, CLIENTS[rng.nextInt(CLIENTS.length)],
                nextPort);
        s.proc = p;
        s.startMicros = clock.micros();
        s.connected = true;
        sessions++;
        rec.start(p, EntryKind.CONNECTION_RECEIVED).message.append("connection received: host=").append(p.host)
                .append(" port=").append(p.port);
        emit();
        String user = s.type == Type.PGBENCH ? "bench" : "app";
        p.user = user;
        p.database = s.type == Type.PGBENCH ? "bench" : "shop";
        p.localXid = 1;
        tick(300);
        rec.start(p, EntryKind.CONNECTION_AUTHENTICATED).message.append("connection authenticated: user=\"")
                .append(user).append('"').append(HBA);
        authentication();
        tick(100);
        rec.start(p, EntryKind.CONNECTION_AUTHORIZED).message.append("connection authorized: user=").append(user)
                .append(" database=").append(p.database);
        if (s.type == Type.PGBENCH) {
            rec.message.append(" application_name=pgbench");
        }
        authentication();
        if (s.type == Type.PGBENCH) {
            // pgbench names itself in the startup packet; pgjdbc sends a SET afterwards.
            p.application = "pgbench";
            s.applicationSet = true;
        }
    }

    private void authentication() throws IOException {
        rec.ps = "authentication";
        rec.vxid = true;
        emit();
    }

    private void setApplicationName(Session s) throws IOException {
        tick(3000);
        Proc p = s.proc;
        p.application = s.type == Type.REPORT ? "shop-report" : ORM_APPS[rng.nextInt(ORM_APPS.length)];
        p.localXid++;
        statement.setLength(0);
        statement.append("SET application_name = '").append(p.application).append('\'');
        simpleStatement(p, ShapeCatalog.SET_APPLICATION_NAME, "SET", rng.between(30, 120));
        s.applicationSet = true;
    }

    private void disconnect(Session s) throws IOException {
        tick(1000);
        Proc p = s.proc;
        long t = clock.micros() - s.startMicros;
        StringBuilder m = rec.start(p, EntryKind.DISCONNECTION).message;
        m.append("disconnection: session time: ").append(t / 3_600_000_000L).append(':');
        two(m, t / 60_000_000 % 60).append(':');
        two(m, t / 1_000_000 % 60).append('.');
        three(m, t / 1000 % 1000);
        m.append(" user=").append(p.user).append(" database=").append(p.database).append(" host=").append(p.host)
                .append(" port=").append(p.port);
        rec.ps = "idle";
        emit();
        s.ended = true;
    }

    // ---------------------------------------------------------------- pgbench

    private void beginTransaction(Session s) throws IOException {
        s.aid = rng.between(1, 1_000_000);
        s.bid = rng.between(1, 10);
        s.tid = rng.between(1, 100);
        s.delta = rng.between(-5000, 5000);
        s.txStep = 0;
        s.proc.localXid++;
        pgbenchStatement(s);
    }

    private void pgbenchStatement(Session s) throws IOException {
        int shape = s.txStep;
        params.setLength(0);
        switch (shape) {
            case ShapeCatalog.UPDATE_ACCOUNTS -> parameters(s.delta, s.aid);
            case ShapeCatalog.SELECT_ACCOUNTS -> parameters(s.aid);
            case ShapeCatalog.UPDATE_TELLERS -> parameters(s.delta, s.tid);
            case ShapeCatalog.UPDATE_BRANCHES -> parameters(s.delta, s.bid);
            case ShapeCatalog.INSERT_HISTORY -> parameters(s.tid, s.bid, s.aid, s.delta);
            default -> { }
        }
        long wait = 0;
        if (shape == ShapeCatalog.UPDATE_BRANCHES && rng.chance(3)) {
            wait = 1_000_000 + rng.nextInt(400_000);
        }
        long execute = switch (shape) {
            case ShapeCatalog.BEGIN -> rng.between(5, 30);
            case ShapeCatalog.END -> rng.between(40, 900);
            case ShapeCatalog.SELECT_ACCOUNTS -> duration(15, 80);
            default -> duration(25, 400);
        };
        extended(s, shape, false, execute, wait);
        s.txStep = shape == ShapeCatalog.END ? -1 : shape + 1;
    }

    private void parameters(int... values) {
        params.append("Parameters: ");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                params.append(", ");
            }
            params.append('$').append(i + 1).append(" = '").append(values[i]).append('\'');
        }
    }

    // ---------------------------------------------------------------- ORM

    private void ormUnit(Session s) throws IOException {
        int child = hotSelect();
        int length = rng.between(5, 50);
        if (rng.chance(60) && length <= lookupsThatFit(child)) {
            int parent = hotSelect();
            s.loopChild = child;
            s.loopLeft = length;
            s.loopKey = rng.between(1, 900_000);
            loops++;
            loopOwner = s.slot;
            s.proc.localXid++;
            ormParameters(parent);
            extended(s, parent, true, duration(200, 3000), 0);
            return;
        }
        int shape = rng.chance(500) ? hotOrm() : coldOrm();
        s.proc.localXid++;
        ormParameters(shape);
        if (ShapeCatalog.family(shape) == Family.INSERT && executed.get(shape) && rng.chance(15)) {
            uniqueViolation(s, shape);
            return;
        }
        extended(s, shape, true, duration(30 + 10 * ShapeCatalog.columnCount(shape), 2000), 0);
    }

    private void loopLookup(Session s) throws IOException {
        params.setLength(0);
        params.append("Parameters: $1 = '").append(s.loopKey + 7 * s.loopLeft).append('\'');
        s.proc.localXid++;
        extended(s, s.loopChild, true, duration(20, 250), 0);
        lookups++;
        if (--s.loopLeft == 0 && loopOwner == s.slot) {
            loopOwner = -1;
        }
    }

    private int hotSelect() {
        // Generated shapes 0..11 are Hibernate 6 selects, 12..23 Hibernate 5 selects, one per table.
        return ShapeCatalog.FIXED + rng.nextInt(2 * HOT);
    }

    private int hotOrm() {
        if (rng.chance(800)) {
            return hotSelect();
        }
        // 36..47 updates, 48..59 inserts.
        return ShapeCatalog.FIXED + 3 * HOT + rng.nextInt(2 * HOT);
    }

    /** The next shape of a sweep over every non-report shape, so that all of them get used. */
    private int coldOrm() {
        int generated = catalog.size() - ShapeCatalog.FIXED;
        do {
            ormCursor = (ormCursor + 1) % generated;
        } while (ShapeCatalog.family(ShapeCatalog.FIXED + ormCursor) == Family.REPORT);
        return ShapeCatalog.FIXED + ormCursor;
    }

    private int coldReport() {
        int generated = catalog.size() - ShapeCatalog.FIXED;
        do {
            reportCursor = (reportCursor + 1) % generated;
        } while (ShapeCatalog.family(ShapeCatalog.FIXED + reportCursor) != Family.REPORT);
        return ShapeCatalog.FIXED + reportCursor;
    }

    private void ormParameters(int shape) {
        params.setLength(0);
        params.append("Parameters: ");
        int n = ShapeCatalog.parameterCount(shape);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                params.append(", ");
            }
            params.append('$').append(i + 1).append(" = ");
            int column = ShapeCatalog.parameterColumn(shape, i);
            boolean key = column == ShapeCatalog.predicate(shape) && i == n - 1;
            if (!key && rng.chance(30)) {
                params.append("NULL");
            } else {
                params.append('\'');
                value(column);
                params.append('\'');
            }
        }
    }

    /** A bind value as PostgreSQL quotes it in {@code Parameters:} (single quotes doubled). */
    private void value(int column) {
        switch (ShapeCatalog.TYPES[column]) {
            case INT -> params.append(rng.between(1, 2_000_000));
            case NUMERIC -> params.append(rng.between(0, 99_999)).append('.').append(rng.between(10, 99));
            case BOOL -> params.append(rng.nextInt(2) == 0 ? 'f' : 't');
            case DATE -> params.append("2026-0").append(rng.between(1, 9)).append('-').append(rng.between(10, 28));
            case TIMESTAMP -> {
                params.append("2026-03-0").append(rng.between(1, 9)).append(' ').append(rng.between(10, 23))
                        .append(':').append(rng.between(10, 59)).append(':').append(rng.between(10, 59))
                        .append('.').append(rng.between(100, 999)).append("+00");
            }
            case TEXT -> {
                String name = ShapeCatalog.COLUMNS[column];
                switch (name) {
                    case "email" -> params.append("customer").append(rng.between(1, 500_000)).append("@example.com");
                    case "status" -> params.append(STATUSES[rng.nextInt(STATUSES.length)]);
                    case "country" -> params.append(COUNTRIES[rng.nextInt(COUNTRIES.length)]);
                    case "note", "description" -> {
                        if (rng.chance(50)) {
                            params.append("first line\nsecond line, with ''quotes''");
                        } else {
                            quoted(TEXTS[rng.nextInt(TEXTS.length)]);
                        }
                    }
                    default -> quoted(TEXTS[rng.nextInt(TEXTS.length)]);
                }
            }
        }
    }

    private void quoted(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                params.append('\'');
            }
            params.append(c);
        }
    }

    private void uniqueViolation(Session s, int shape) throws IOException {
        Proc p = s.proc;
        String text = catalog.text(shape);
        String name = "<unnamed>";
        tick(400);
        durationLine(p, EntryKind.PARSE, duration(40, 300), "parse ", name, shape).ps = "PARSE";
        emit();
        tick(60);
        durationLine(p, EntryKind.BIND, duration(20, 200), "bind ", name, shape).ps = "BIND";
        rec.detail = params;
        emit();
        tick(200);
        String column = ShapeCatalog.COLUMNS[ShapeCatalog.column(shape, 0)];
        for (int i = 0; i < ShapeCatalog.columnCount(shape); i++) {
            String c = ShapeCatalog.COLUMNS[ShapeCatalog.column(shape, i)];
            if (c.equals("email") || c.equals("sku") || c.equals("tracking_no")) {
                column = c;
                break;
            }
        }
        String table = ShapeCatalog.TABLES[ShapeCatalog.table(shape)];
        rec.start(p, EntryKind.ERROR);
        rec.severity = "ERROR";
        rec.sqlState = "23505";
        rec.message.append("duplicate key value violates unique constraint \"").append(table).append('_')
                .append(column).append("_key\"");
        detail.setLength(0);
        detail.append("Key (").append(column).append(")=(").append(column.equals("email") ? "customer" : "K-")
                .append(rng.between(1, 99_999)).append(column.equals("email") ? "@example.com" : "")
                .append(") already exists.");
        rec.detail = detail;
        rec.statement = text;
        rec.ps = "INSERT";
        rec.vxid = true;
        rec.txid = nextXid++;
        emit();
    }

    // ---------------------------------------------------------------- reports

    private void report(Session s) throws IOException {
        int shape = rng.chance(300) ? ShapeCatalog.FIXED + 2 * HOT + rng.nextInt(HOT) : coldReport();
        Proc p = s.proc;
        p.localXid++;
        statement.setLength(0);
        statement.append(catalog.text(shape)).append("'2026-02-").append(rng.between(10, 28)).append(" 00:00:00+00'")
                .append(ShapeCatalog.reportTail(shape));
        if (executed.get(shape) && rng.chance(10)) {
            tick(30_000);
            rec.start(p, EntryKind.ERROR);
            rec.severity = "ERROR";
            rec.sqlState = "57014";
            rec.message.append("canceling statement due to statement timeout");
            rec.statement = statement;
            rec.ps = "SELECT";
            rec.vxid = true;
            emit();
            return;
        }
        if (rng.chance(30)) {
            tick(20_000);
            rec.start(p, EntryKind.TEMP_FILE).message.append("temporary file: path \"base/pgsql_tmp/pgsql_tmp")
                    .append(p.pid).append('.').append(rng.nextInt(4)).append("\", size ")
                    .append(8192L * rng.between(10, 200_000));
            rec.statement = statement;
            rec.ps = "SELECT";
            rec.vxid = true;
            emit();
        }
        simpleStatement(p, shape, "SELECT", duration(2_000, 900_000));
    }

    // ---------------------------------------------------------------- protocol

    /** A simple-protocol statement whose text is in {@link #statement}. */
    private void simpleStatement(Proc p, int shape, String tag, long micros) throws IOException {
        tick(800);
        StringBuilder m = rec.start(p, EntryKind.STATEMENT).message.append("duration: ");
        millis(m, micros).append(" ms  statement: ").append(statement);
        rec.ps = tag;
        rec.vxid = true;
        emit();
        executed.set(shape);
    }

    /**
     * One execution in extended protocol as pgjdbc (or pgbench) sends it, its parameters in
     * {@link #params} (nothing after {@code "Parameters: "} means none): parse (unless the named
     * statement exists), bind and execute, with a lock wait before the execute when
     * {@code waitMicros > 0}.
     */
    private void extended(Session s, int shape, boolean jdbc, long executeMicros, long waitMicros) throws IOException {
        Proc p = s.proc;
        String text = catalog.text(shape);
        String name = "<unnamed>";
        boolean parse = true;
        if (jdbc) {
            int slot = prepared(s, shape);
            if (slot >= 0) {
                int uses = ++s.psUses[slot];
                if (uses == PREPARE_THRESHOLD) {
                    s.psName[slot] = s.nextName++;
                }
                if (uses >= PREPARE_THRESHOLD) {
                    name = names[s.psName[slot]];
                    parse = uses == PREPARE_THRESHOLD;
                }
            }
        }
        CharSequence detailPart = params.length() > "Parameters: ".length() ? params : null;
        if (parse) {
            tick(400);
            durationLine(p, EntryKind.PARSE, duration(20, 60 + text.length() / 2), "parse ", name, shape).ps = "PARSE";
            emit();
        }
        tick(parse ? 40 : 400);
        durationLine(p, EntryKind.BIND, duration(8, 40 + text.length() / 4), "bind ", name, shape).ps = "BIND";
        rec.detail = detailPart;
        emit();
        String tag = ShapeCatalog.tag(shape);
        boolean write = tag.equals("UPDATE") || tag.equals("INSERT");
        long xid = write ? nextXid++ : 0;
        if (waitMicros > 0) {
            lockWait(s, text, xid, waitMicros);
            executeMicros += waitMicros + rng.nextInt(20_000);
        }
        tick(20 + (int) Math.min(executeMicros, 50_000));
        durationLine(p, EntryKind.EXECUTE, executeMicros, "execute ", name, shape).ps = tag;
        rec.detail = detailPart;
        rec.txid = xid;
        emit();
        executed.set(shape);
    }

    private int prepared(Session s, int shape) {
        for (int i = 0; i < s.psCount; i++) {
            if (s.psShape[i] == shape) {
                return i;
            }
        }
        if (s.psCount == s.psShape.length) {
            return -1;
        }
        s.psShape[s.psCount] = shape;
        s.psUses[s.psCount] = 0;
        return s.psCount++;
    }

    private Rec durationLine(Proc p, EntryKind kind, long micros, String verb, String name, int shape) {
        StringBuilder m = rec.start(p, kind).message.append("duration: ");
        millis(m, micros).append(" ms  ").append(verb).append(name).append(": ");
        rec.messageTail = catalog.encoded(shape);
        rec.vxid = true;
        return rec;
    }

    private void lockWait(Session s, String text, long xid, long waitMicros) throws IOException {
        Proc p = s.proc;
        int holder = active[(s.slot + 1) % PGBENCH_SLOTS].proc == null ? p.pid - 3
                : active[(s.slot + 1) % PGBENCH_SLOTS].proc.pid;
        long lockedXid = xid - rng.between(1, 40);
        context.setLength(0);
        context.append("while updating tuple (0,").append(s.bid).append(") in relation \"pgbench_branches\"");
        tick(1_000_000);
        StringBuilder m = rec.start(p, EntryKind.LOCK_WAIT).message.append("process ").append(p.pid)
                .append(" still waiting for ShareLock on transaction ").append(lockedXid).append(" after ");
        millis(m, 1_000_000 + rng.nextInt(200)).append(" ms");
        detail.setLength(0);
        detail.append("Process holding the lock: ").append(holder).append(". Wait queue: ").append(p.pid).append('.');
        rec.detail = detail;
        rec.context = context;
        rec.statement = text;
        rec.ps = "UPDATE waiting";
        rec.vxid = true;
        rec.txid = xid;
        emit();
        tick((int) (waitMicros - 1_000_000));
        m = rec.start(p, EntryKind.LOCK_ACQUIRED).message.append("process ").append(p.pid)
                .append(" acquired ShareLock on transaction ").append(lockedXid).append(" after ");
        millis(m, waitMicros).append(" ms");
        rec.context = context;
        rec.statement = text;
        rec.ps = "UPDATE waiting";
        rec.vxid = true;
        rec.txid = xid;
        emit();
    }

    // ---------------------------------------------------------------- background processes

    private void background() throws IOException {
        long now = clock.micros();
        if (now >= nextCheckpoint) {
            nextCheckpoint += CHECKPOINT_EVERY;
            rec.start(checkpointer, EntryKind.CHECKPOINT_STARTING).message.append("checkpoint starting: time");
            emit();
            checkpointDone = now + rng.between(2_000_000, 20_000_000);
        }
        if (checkpointDone >= 0 && now >= checkpointDone) {
            checkpointComplete();
        }
        if (now >= nextAutovacuum) {
            nextAutovacuum += rng.between(AUTOVACUUM_EVERY / 2, AUTOVACUUM_EVERY * 3 / 2);
            autovacuum();
        }
    }

    private void checkpointComplete() throws IOException {
        checkpointDone = -1;
        int buffers = rng.between(100, 60_000);
        long write = rng.between(1_000, 27_000_000);
        long sync = rng.between(1_000, 90_000);
        long distance = rng.between(1_000, 900_000);
        StringBuilder m = rec.start(checkpointer, EntryKind.CHECKPOINT_COMPLETE).message;
        m.append("checkpoint complete: wrote ").append(buffers).append(" buffers (");
        m.append(buffers * 100 / 16_384).append('.');
        two(m, buffers * 10_000L / 16_384 % 100).append("%); 0 WAL file(s) added, ").append(rng.nextInt(3))
                .append(" removed, ").append(rng.nextInt(30)).append(" recycled; write=");
        seconds(m, write).append(" s, sync=");
        seconds(m, sync).append(" s, total=");
        seconds(m, write + sync + 500).append(" s; sync files=").append(rng.between(3, 90)).append(", longest=");
        seconds(m, sync / 2).append(" s, average=");
        seconds(m, sync / 9).append(" s; distance=").append(distance).append(" kB, estimate=")
                .append(distance + rng.nextInt(9_000)).append(" kB; lsn=");
        long lsn = 0x1_0000_0000L + clock.micros() * 8;
        m.append(Long.toHexString(lsn >>> 32).toUpperCase()).append('/').append(Long.toHexString(lsn & 0xFFFF_FFFFL)
                .toUpperCase()).append(", redo lsn=").append(Long.toHexString(lsn >>> 32).toUpperCase()).append('/')
                .append(Long.toHexString((lsn - 4096) & 0xFFFF_FFFFL).toUpperCase());
        emit();
    }

    private void autovacuum() throws IOException {
        nextPid += rng.between(1, 4);
        Proc worker = new Proc(nextPid, clock, "autovacuum worker", false, ACTIVE + 4, null, 0);
        boolean bench = rng.nextInt(2) == 0;
        String table = bench ? "bench.public.pgbench_" + new String[] {"accounts", "tellers", "branches", "history"}[rng.nextInt(4)]
                : "shop.public." + ShapeCatalog.TABLES[rng.nextInt(ShapeCatalog.TABLES.length)];
        worker.localXid = rng.between(100, 90_000);
        if (rng.nextInt(2) == 0) {
            int pages = rng.between(50, 200_000);
            int scanned = rng.between(1, pages);
            StringBuilder m = rec.start(worker, EntryKind.AUTOVACUUM).message;
            m.append("automatic vacuum of table \"").append(table).append("\": index scans: 1\n")
                    .append("pages: 0 removed, ").append(pages).append(" remain, ").append(scanned).append(" scanned (");
            percent(m, scanned, pages).append(" of total)\n")
                    .append("tuples: ").append(rng.nextInt(9000)).append(" removed, ").append(pages * 60L)
                    .append(" remain, ").append(rng.nextInt(50)).append(" are dead but not yet removable\n")
                    .append("removable cutoff: ").append(nextXid - 20).append(", which was ").append(rng.between(1, 40))
                    .append(" XIDs old when operation ended\n")
                    .append("frozen: 0 pages from table (0.00% of total) had 0 tuples frozen\n")
                    .append("index scan needed: ").append(scanned / 2).append(" pages from table (");
            percent(m, scanned / 2, pages).append(" of total) had ").append(rng.nextInt(9000))
                    .append(" dead item identifiers removed\n")
                    .append("avg read rate: 0.000 MB/s, avg write rate: ").append(rng.nextInt(90)).append('.');
            three(m, rng.nextInt(1000)).append(" MB/s\n")
                    .append("buffer usage: ").append(rng.between(100, 90_000)).append(" hits, ").append(rng.nextInt(900))
                    .append(" misses, ").append(rng.nextInt(900)).append(" dirtied\n")
                    .append("WAL usage: ").append(rng.between(1, 20_000)).append(" records, ").append(rng.nextInt(900))
                    .append(" full page images, ").append(rng.between(100, 9_000_000)).append(" bytes\n")
                    .append("system usage: CPU: user: 0.0").append(rng.nextInt(10)).append(" s, system: 0.00 s, elapsed: 0.");
            two(m, rng.nextInt(100)).append(" s");
            rec.vxid = true;
            emit();
            tick(2000);
        }
        worker.localXid++;
        StringBuilder m = rec.start(worker, EntryKind.AUTOANALYZE).message;
        m.append("automatic analyze of table \"").append(table).append("\"\n")
                .append("avg read rate: 0.000 MB/s, avg write rate: 0.000 MB/s\n")
                .append("buffer usage: ").append(rng.between(100, 30_000)).append(" hits, 0 misses, ")
                .append(rng.nextInt(20)).append(" dirtied\n")
                .append("system usage: CPU: user: 0.0").append(rng.nextInt(10)).append(" s, system: 0.00 s, elapsed: 0.");
        two(m, rng.nextInt(100)).append(" s");
        rec.vxid = true;
        rec.txid = nextXid++;
        emit();
    }

    // ---------------------------------------------------------------- helpers

    private void emit() throws IOException {
        counts[rec.kind.ordinal()]++;
        writer.write(rec);
    }

    /** Moves the log's time forward by up to {@code maxMicros}. */
    private void tick(int maxMicros) {
        clock.advance(rng.nextInt(maxMicros + 1));
    }

    /** A duration in microseconds, with the odd slow outlier that a real server has. */
    private long duration(int lo, int hi) {
        long d = rng.between(lo, Math.max(lo, hi));
        if (rng.chance(5)) {
            d *= rng.between(10, 200);
        }
        return d;
    }

    private static StringBuilder millis(StringBuilder m, long micros) {
        m.append(micros / 1000).append('.');
        return three(m, micros % 1000);
    }

    private static StringBuilder seconds(StringBuilder m, long micros) {
        return millis(m, micros / 1000);
    }

    private static StringBuilder percent(StringBuilder m, long part, long whole) {
        long hundredths = whole == 0 ? 0 : part * 10_000 / whole;
        m.append(hundredths / 100).append('.');
        return two(m, hundredths % 100).append('%');
    }

    private static StringBuilder two(StringBuilder m, long v) {
        return m.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static StringBuilder three(StringBuilder m, long v) {
        return m.append((char) ('0' + v / 100)).append((char) ('0' + v / 10 % 10)).append((char) ('0' + v % 10));
    }
}
