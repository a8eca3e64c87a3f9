package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgsleuth.testing.RealPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --db … --verify-indexes} on a real PostgreSQL 17 (no hypopg there), against the log
 * of an application that looked orders up by e-mail in a 200,000-row table without an index.
 * pg_stat_statements and the server log (every statement logged) show what pgsleuth sent: DDL only
 * with {@code --verify-indexes=transaction}, and even then nothing stays.
 */
class VerifyIndexesTest {

    /** What pgsleuth may send when it builds no index: EXPLAIN, catalog reads, transaction control. */
    private static final Pattern DDL_OR_WRITE = Pattern.compile(
            "(?is)^/\\* pgsleuth \\*/\\s*(create|alter|drop|truncate|insert|update|delete|merge|grant|revoke|"
                    + "comment|reindex|cluster|vacuum|analyze|refresh|copy|lock|begin\\s+read\\s+write|"
                    + "begin\\s*$|start\\s+transaction).*");

    private static RealPostgres pg;
    private static Path appLog;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = RealPostgres.builder().logName("verify-indexes")
                .setting("shared_preload_libraries", "auto_explain,pg_stat_statements")
                .setting("max_parallel_workers_per_gather", "0")
                .start();
        try (Connection c = pg.connect("seed"); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION pg_stat_statements");
            st.execute("""
                    CREATE TABLE trial_orders (
                        id bigint PRIMARY KEY, customer_email text NOT NULL, status text NOT NULL,
                        total numeric(10, 2) NOT NULL);
                    INSERT INTO trial_orders
                    SELECT i, 'c' || (1 + (i * 7919) % 40000) || '@example.com',
                           CASE WHEN i % 100 < 10 THEN 'pending' ELSE 'shipped' END, ((i * 37) % 100000) / 100.0
                    FROM generate_series(1, 200000) i;
                    """);
            st.execute("VACUUM ANALYZE trial_orders");
        }
        try (Connection c = pg.connect("shop-app");
             PreparedStatement ps = c.prepareStatement("SELECT * FROM trial_orders WHERE customer_email = ?")) {
            for (String email : List.of("c42@example.com", "c7@example.com", "c1234@example.com")) {
                ps.setString(1, email);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        assertNotNull(rs.getString("status"));
                    }
                }
            }
        }
        pg.awaitLogged();
        appLog = dir.resolve("app.log");
        Files.copy(pg.stderrLog(), appLog);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static AnalyzeCommandTest.Run analyze(String... extra) {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json", "--explain-min-ms", "0",
                "--log-format", "stderr", "--prefix", pg.logLinePrefix(), "--db", "postgres://" + RealPostgres.USER + "@localhost:" + pg.port() + "/postgres"));
        args.addAll(List.of(extra));
        args.add(appLog.toString());
        return AnalyzeCommandTest.run(args.toArray(String[]::new));
    }

    private static JsonNode emailFinding(JsonNode report) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("rule").asText().equals("seq-scan-selective-filter")
                    && f.get("tables").toString().contains("trial_orders")) {
                return f;
            }
        }
        throw new AssertionError("no seq-scan-selective-filter finding on trial_orders in " + report.get("findings")
                + "\nexplain: " + report.get("explain"));
    }

    private static void resetStatements() throws SQLException {
        try (Connection c = pg.connect("check"); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The statements pg_stat_statements saw since the last reset (it counts rolled-back ones too). */
    private static List<String> statementsSeen() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect("check"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT query FROM pg_stat_statements")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> indexesOfTrialOrders() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect("check"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'trial_orders' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String checksum() throws SQLException {
        try (Connection c = pg.connect("check"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM trial_orders t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Server log lines written since {@code from} bytes. */
    private static String logSince(long from) throws Exception {
        pg.awaitLogged();
        byte[] all = Files.readAllBytes(pg.stderrLog());
        return new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
    }

    @Test
    void withoutTransactionNoDdlIsEverSentAndTheAdviceIsUnverified() throws Exception {
        for (String[] flags : List.of(new String[0], new String[] {"--verify-indexes=none"},
                new String[] {"--verify-indexes", "hypopg"})) {
            resetStatements();
            long logFrom = Files.size(pg.stderrLog());

            AnalyzeCommandTest.Run run = analyze(flags);

            assertEquals(0, run.exit(), run.err());
            JsonNode finding = emailFinding(run.json());
            JsonNode check = finding.at("/evidence/index_check");
            assertEquals("none", check.get("method").asText(), check.toString());
            assertTrue(check.get("reason").asText().contains("hypopg extension is not installed"), check.toString());
            assertFalse(finding.at("/evidence/indexVerified").asBoolean(true));
            assertEquals("high", finding.get("severity").asText(), "an unverified suggestion keeps its severity");
            assertTrue(finding.at("/suggestion/sql").asText().startsWith("CREATE INDEX CONCURRENTLY"));
            assertTrue(finding.get("message").asText().contains("unverified"), finding.get("message").asText());
            assertEquals(flags.length == 2, run.err().contains("--verify-indexes=hypopg: the hypopg extension is not installed"),
                    run.err());

            List<String> seen = statementsSeen();
            List<String> pgsleuth = seen.stream().filter(q -> q.startsWith("/* pgsleuth */")).toList();
            assertTrue(pgsleuth.stream().anyMatch(q -> q.contains("EXPLAIN (ANALYZE")),
                    "pg_stat_statements saw pgsleuth's EXPLAIN ANALYZE: " + pgsleuth);
            assertEquals(List.of(), pgsleuth.stream().filter(q -> DDL_OR_WRITE.matcher(q).matches()).toList());
            assertEquals(List.of(), seen.stream().filter(q -> q.toUpperCase().contains("CREATE INDEX")).toList());

            String log = logSince(logFrom);
            assertTrue(log.contains("/* pgsleuth */ BEGIN READ ONLY"), "the server log shows pgsleuth's statements");
            assertFalse(log.toUpperCase().contains("CREATE INDEX"), log);
            assertFalse(log.contains("BEGIN READ WRITE"), log);
        }
    }

    @Test
    void transactionBuildsTheRealIndexMeasuresItAndRollsItBack() throws Exception {
        List<String> indexesBefore = indexesOfTrialOrders();
        String rowsBefore = checksum();
        resetStatements();
        long logFrom = Files.size(pg.stderrLog());

        AnalyzeCommandTest.Run run = analyze("--verify-indexes=transaction");

        assertEquals(0, run.exit(), run.err());
        JsonNode finding = emailFinding(run.json());
        JsonNode check = finding.at("/evidence/index_check");
        assertEquals("transaction", check.get("method").asText(), check.toString());
        assertTrue(check.get("used").asBoolean(), check.toString());
        assertTrue(finding.at("/evidence/indexVerified").asBoolean(), finding.toString());
        // the suggestion as run: CONCURRENTLY cannot run inside a transaction block
        assertEquals(finding.at("/suggestion/sql").asText().replace("CONCURRENTLY ", "").replace(";", ""),
                check.get("sql").asText());
        assertTrue(check.get("sql").asText().startsWith("CREATE INDEX trial_orders_customer_email_idx ON trial_orders "
                + "(customer_email)"), check.toString());
        double before = check.get("ms_before").asDouble();
        double after = check.get("ms_after").asDouble();
        assertTrue(before > 0 && after > 0, check.toString());
        assertTrue(after * 5 < before, "5 rows by index vs a scan of 200,000 rows: " + check);
        assertTrue(check.get("cost_after").asDouble() < check.get("cost_before").asDouble(), check.toString());
        assertEquals("high", finding.get("severity").asText());
        assertTrue(finding.get("message").asText().contains("Verified by building it in a rolled-back transaction"),
                finding.get("message").asText());

        assertEquals(indexesBefore, indexesOfTrialOrders(), "the index does not exist afterwards");
        assertEquals(rowsBefore, checksum(), "table contents unchanged");
        // the positive control of the test above: with the flag, the build is seen where it looks
        assertTrue(statementsSeen().stream().anyMatch(q -> q.startsWith("/* pgsleuth */ CREATE INDEX")),
                "pg_stat_statements counts the rolled-back build");
        String log = logSince(logFrom);
        assertTrue(log.contains("/* pgsleuth */ CREATE INDEX trial_orders_customer_email_idx"), log);
        assertTrue(log.contains("/* pgsleuth */ SET TRANSACTION READ ONLY"), log);
    }

    @Test
    void verifyIndexesIsAUsageErrorWithoutDbOrWithAnUnknownValue() {
        AnalyzeCommandTest.Run noDb = AnalyzeCommandTest.run("analyze", "--verify-indexes=transaction", appLog.toString());
        assertEquals(2, noDb.exit());
        assertTrue(noDb.err().contains("--verify-indexes needs --db"), noDb.err());
        assertEquals(2, AnalyzeCommandTest.run("analyze", "--verify-indexes=always", appLog.toString()).exit());
    }
}
