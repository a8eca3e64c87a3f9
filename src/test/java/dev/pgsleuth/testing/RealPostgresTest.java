package dev.pgsleuth.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealPostgresTest {

    private static final String PREFIX = "%m [%p] %q%u@%d/%a %c:%l ";
    private static RealPostgres pg;

    @BeforeAll
    static void start() {
        pg = RealPostgres.builder().logName("fixture-test").logLinePrefix(PREFIX).start();
        System.out.println("RealPostgres start-up took " + pg.startupTime().toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void serverIsPostgres17WithTheLoggingSettings() throws SQLException {
        try (Connection c = pg.connect("settings-check"); Statement s = c.createStatement()) {
            assertEquals("17", single(s, "SHOW server_version").split("\\.")[0]);
            assertEquals("on", single(s, "SHOW logging_collector"));
            assertEquals("stderr,csvlog,jsonlog", single(s, "SHOW log_destination"));
            assertEquals(PREFIX, single(s, "SHOW log_line_prefix"));
            assertEquals("0", single(s, "SHOW log_min_duration_statement"));
            assertEquals("-1", single(s, "SHOW auto_explain.log_min_duration"));
            assertEquals("on", single(s, "SHOW log_lock_waits"));
            assertEquals("auto_explain", single(s, "SHOW shared_preload_libraries"));
        }
    }

    @Test
    void threeFilesWithTheConfiguredNamesHoldTheMarkerAfterAwaitLogged() throws Exception {
        assertEquals(pg.logDirectory(), pg.stderrLog().getParent());
        String[] names = {pg.stderrLog().getFileName().toString(), pg.csvLog().getFileName().toString(),
                pg.jsonLog().getFileName().toString()};
        assertTrue(names[0].matches("fixture-test(-\\d+)?\\.log"), names[0]);
        assertEquals(names[0].replace(".log", ".csv"), names[1]);
        assertEquals(names[0].replace(".log", ".json"), names[2]);

        String text = "marker-" + UUID.randomUUID();
        try (Connection c = pg.connect("marker-app"); Statement s = c.createStatement()) {
            s.execute("SELECT '" + text + "'");
        }
        pg.awaitLogged();
        for (Path p : List.of(pg.stderrLog(), pg.csvLog(), pg.jsonLog())) {
            assertTrue(read(p).contains(text), p + " lacks " + text);
            assertTrue(read(p).contains(RealPostgres.MARKER_TEXT), p + " lacks the fixture marker");
        }
    }

    @Test
    void stderrLinesCarryTheConfiguredPrefixAndDisconnectionIsLoggedBeforeAwaitReturns() throws Exception {
        String app = "prefix-app-" + UUID.randomUUID().toString().substring(0, 8);
        long pid;
        String session;
        try (Connection c = pg.connect(app); Statement s = c.createStatement()) {
            pid = Long.parseLong(single(s, "SELECT pg_backend_pid()"));
            session = single(s, "SELECT to_hex(trunc(extract(epoch from backend_start))::int) || '.' || to_hex(pid)"
                    + " FROM pg_stat_activity WHERE pid = pg_backend_pid()");
            s.execute("SELECT 42 AS prefix_probe");
        }
        pg.awaitLogged();
        List<String> lines = Files.readAllLines(pg.stderrLog());
        String expected = " [" + pid + "] postgres@postgres/" + app + " " + session + ":";
        String probe = lines.stream().filter(l -> l.contains("SELECT 42 AS prefix_probe")).findFirst().orElseThrow();
        assertTrue(probe.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC"
                + java.util.regex.Pattern.quote(expected) + "\\d+ LOG:  duration: .*"), probe);
        assertTrue(lines.stream().anyMatch(l -> l.contains(expected) && l.contains("LOG:  disconnection: session time:")),
                "disconnection of " + app + " not logged");
    }

    @Test
    void rotateGivesNewFilesAndTheOldOnesStopGrowing() throws Exception {
        Path oldStderr = pg.stderrLog();
        Path oldCsv = pg.csvLog();
        pg.rotate();
        assertNotEquals(oldStderr, pg.stderrLog());
        assertNotEquals(oldCsv, pg.csvLog());
        assertTrue(Files.exists(oldStderr));

        String text = "after-rotation-" + UUID.randomUUID();
        try (Connection c = pg.connect("rotation-app"); Statement s = c.createStatement()) {
            s.execute("SELECT '" + text + "'");
        }
        pg.awaitLogged();
        assertTrue(read(pg.stderrLog()).contains(text));
        assertTrue(read(pg.jsonLog()).contains(text));
        assertFalse(read(oldStderr).contains(text));
    }

    @Test
    void simpleProtocolConnectionLogsStatementLines() throws Exception {
        Properties simple = new Properties();
        simple.setProperty("preferQueryMode", "simple");
        String text = "simple-" + UUID.randomUUID();
        try (Connection c = pg.connect("postgres", "simple-app", simple); Statement s = c.createStatement()) {
            s.execute("SELECT '" + text + "'");
        }
        pg.awaitLogged();
        assertTrue(Files.readAllLines(pg.stderrLog()).stream()
                .anyMatch(l -> l.contains("statement: SELECT '" + text + "'")));
    }

    @Test
    void alterSystemReachesNewSessionsAndCanBeUndone() throws Exception {
        String text = "unlogged-" + UUID.randomUUID();
        pg.alterSystem("log_min_duration_statement", "-1");
        try (Connection c = pg.connect("quiet-app"); Statement s = c.createStatement()) {
            assertEquals("-1", single(s, "SHOW log_min_duration_statement"));
            s.execute("SELECT '" + text + "'");
        } finally {
            pg.alterSystem("log_min_duration_statement", "0");
        }
        pg.awaitLogged();
        assertFalse(read(pg.stderrLog()).contains(text));
    }

    @Test
    void sharedServerIsOnePerJvmAndServes() throws Exception {
        RealPostgres shared = RealPostgres.shared();
        System.out.println("shared RealPostgres start-up (template copy) took " + shared.startupTime().toMillis() + " ms");
        assertSame(shared, RealPostgres.shared());
        try (Connection c = shared.connect("shared-check"); Statement s = c.createStatement()) {
            assertEquals("1", single(s, "SELECT 1"));
        }
        assertTrue(shared.serverVersion().startsWith("PostgreSQL 17."), shared.serverVersion());
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static String read(Path p) throws Exception {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
