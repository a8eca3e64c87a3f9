package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgsleuth.testing.RealPostgres;
import dev.pgsleuth.testing.SampleWorkload;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --db} against the real server that wrote the log: the N+1 loop of the sample
 * workload (orders looked up one customer at a time, on a foreign key without an index) is
 * explained and turned into index advice, nothing in the database changes, and pgsleuth's own
 * statements do not show up when the log is read again.
 */
class AnalyzeWithDatabaseTest {
    private static final String LOOP_QUERY = "SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY id";
    private static RealPostgres pg;
    private static SampleWorkload workload;

    @BeforeAll
    static void runWorkload() throws Exception {
        pg = RealPostgres.builder().logName("analyze-db").start();
        workload = new SampleWorkload();
        workload.run(pg);
        // Production-sized orders, so that the planner's choices are the ones a real shop sees.
        try (Connection c = pg.connect(workload.database(), "test-setup", new java.util.Properties());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders SELECT g, 1 + g % 500, 'paid', g % 97, now() FROM generate_series(3001, 200000) g");
            s.execute("ANALYZE orders");
        }
        pg.awaitLogged();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void explainsTheLoopAndSuggestsTheMissingIndexWithoutChangingAnything() throws Exception {
        String before = checksums();
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "--format", "json",
                "--db", pg.jdbcUrl(workload.database()), pg.stderrLog().toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = r.json();

        JsonNode explain = report.get("explain");
        assertTrue(explain.get("explained").asInt() >= 1, explain.toString());
        assertFalse(explain.get("database").asText().contains("password="), explain.toString());

        List<JsonNode> indexAdvice = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            if (f.get("category").asText().equals("index") && f.get("tables").toString().contains("orders")) {
                indexAdvice.add(f);
            }
        }
        assertFalse(indexAdvice.isEmpty(), report.get("findings").toString());
        assertTrue(indexAdvice.stream().anyMatch(f -> f.at("/suggestion/sql").asText().contains("CREATE INDEX")
                        && f.at("/suggestion/sql").asText().contains("customer_id")),
                indexAdvice.toString());

        assertEquals(before, checksums(), "EXPLAIN ANALYZE changed the data");
        try (Connection c = pg.connect(workload.database(), "test-check", new java.util.Properties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "only the primary key: no index was created");
        }

        // The server logged pgsleuth's EXPLAIN statements; reading the log again skips them.
        pg.awaitLogged();
        JsonNode again = AnalyzeCommandTest.run("analyze", "--format", "json", pg.stderrLog().toString()).json();
        for (JsonNode q : again.get("queries")) {
            assertFalse(q.get("applications").has("pgsleuth"), q.toString());
            assertFalse(q.get("query").asText().toUpperCase().startsWith("EXPLAIN"), q.toString());
        }
        assertTrue(again.get("queries").toString().contains(LOOP_QUERY));
    }

    @Test
    void anUnreachableDatabaseStillGivesTheReportAndExitFive() throws Exception {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "--format", "json",
                "--db", "postgres://nobody:secret@127.0.0.1:1/shop", pg.stderrLog().toString());
        assertEquals(5, r.exit(), r.err());
        JsonNode report = r.json();
        assertTrue(report.get("queries").size() > 10);
        assertEquals(0, report.at("/explain/explained").asInt());
        assertEquals("unavailable", report.at("/explain/skipped/0/status").asText());
        assertFalse(r.out().contains("secret") || r.err().contains("secret"), "the password leaked");
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private static String checksums() throws SQLException {
        try (Connection c = pg.connect(workload.database(), "test-check", new java.util.Properties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o)"
                     + " || (SELECT md5(string_agg(c::text, ',' ORDER BY id)) FROM customers c)"
                     + " || (SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM products p)")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
