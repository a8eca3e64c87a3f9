package dev.pgsleuth.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SafetyGuardTest {

    private final SafetyGuard guard = new SafetyGuard();

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM orders WHERE customer_email = $1",
            "select id, total from orders where status = 'shipped' and total > 10 order by id limit 20 offset 40",
            "WITH recent AS (SELECT * FROM orders WHERE created_at > $1) SELECT count(*) FROM recent",
            "SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'a@b.c';",
            "SELECT 'insert into t values (1); delete from t' AS text_only FROM orders",
            "SELECT \"update\" FROM t",
            "SELECT o.update FROM t o",
            "SELECT lower(email) FROM customers WHERE name LIKE '%pg_sleep(1)%'",
            "SELECT * FROM t WHERE data ? 'key'",
            "(SELECT 1) UNION ALL (SELECT 2)",
            "SELECT $$ nextval('x') $$ AS s",
    })
    void allowsReadOnlySelects(String sql) {
        SafetyGuard.Verdict v = guard.check(sql);
        assertTrue(v.allowed(), () -> sql + " → " + v.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INSERT INTO t VALUES (1)                                        | INSERT",
            "UPDATE orders SET status = 'x'                                  | UPDATE",
            "DELETE FROM orders                                              | DELETE",
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE     | ",
            "CREATE TABLE x (id int)                                          | DDL",
            "DROP TABLE orders                                               | DDL",
            "ALTER TABLE orders ADD COLUMN x int                             | DDL",
            "TRUNCATE orders                                                 | ",
            "WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone | modifies data",
            "WITH n AS (INSERT INTO t VALUES (1) RETURNING id) SELECT * FROM n | modifies data",
            "SELECT * FROM orders FOR UPDATE                                  | locks rows",
            "SELECT * FROM orders FOR SHARE                                   | locks rows",
            "SELECT * FROM orders FOR NO KEY UPDATE                           | locks rows",
            "SELECT * FROM (SELECT * FROM orders FOR UPDATE) x                | ",
            "SELECT 1; SELECT 2                                               | more than one statement",
            "SELECT 1; DELETE FROM orders                                     | more than one statement",
            "SELECT * INTO copy_of_orders FROM orders                         | INTO",
            "SELECT nextval('audit_seq')                                      | nextval",
            "SELECT setval('audit_seq', 1)                                    | setval",
            "SELECT pg_sleep(10)                                              | pg_sleep",
            "SELECT pg_sleep_for('1 minute')                                  | pg_sleep_for",
            "SELECT * FROM orders WHERE id = (SELECT pg_catalog.pg_sleep(1)::text::int) | pg_sleep",
            "SELECT * FROM dblink('host=x', 'DELETE FROM t') AS t(a int)       | dblink",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity           | pg_terminate_backend",
            "SELECT pg_cancel_backend(123)                                    | pg_cancel_backend",
            "SELECT lo_import('/etc/passwd')                                   | lo_import",
            "SELECT pg_advisory_lock(1)                                        | pg_advisory_lock",
            "SELECT pg_try_advisory_xact_lock(1)                               | pg_try_advisory_xact_lock",
            "SELECT set_config('work_mem', '1GB', false)                       | set_config",
            "SELECT pg_read_file('/etc/passwd')                                | pg_read_file",
            "SELECT \"nextval\"('audit_seq')                                   | nextval",
            "SELECT query_to_xml('delete from t', true, true, '')               | query_to_xml",
            "SELECT * FROM t WHERE                                            | could not be parsed",
            "SELECT 'unterminated                                             | could not be parsed",
            "                                                                 | empty",
    })
    void refusesWhatCouldChangeOrHoldTheDatabase(String sql, String reasonPart) {
        SafetyGuard.Verdict v = guard.check(sql == null ? "" : sql);
        assertFalse(v.allowed(), () -> sql + " was allowed");
        if (reasonPart != null) {
            assertTrue(v.reason().contains(reasonPart), () -> sql + " → " + v.reason());
        }
    }

    @Test
    void neverThrowsAndNeverAllowsAWriteOnMangledInput() {
        java.util.Random random = new java.util.Random(42);
        String[] pieces = {"SELECT", "DELETE", "FROM", "orders", "WHERE", "'", "\"", "$1", "$$", "$q$", "--", "/*", "*/",
                ";", "(", ")", "nextval", "INTO", "FOR", "UPDATE", "WITH", "AS", "E'", "\\", "?", ",", "1", "\n"};
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? " " : "");
            }
            String sql = sb.toString();
            SafetyGuard.Verdict v = guard.check(sql);
            if (v.allowed()) {
                for (SqlScanner.Token t : SqlScanner.tokens(v.statement())) {
                    assertFalse(t.text().equals(";") && t.kind() == SqlScanner.Kind.SYMBOL, sql);
                    assertFalse(t.kind() == SqlScanner.Kind.WORD
                            && java.util.Set.of("delete", "update", "into").contains(t.text()), sql);
                }
            }
        }
    }

    @Test
    void explainTextIsRefusedWithAHint() {
        assertTrue(guard.check("EXPLAIN SELECT 1").reason().contains("EXPLAIN"));
    }

    @Test
    void theStatementToRunLosesItsTrailingSemicolon() {
        assertEquals("SELECT 1", guard.check("SELECT 1;  ").statement());
        assertEquals("SELECT 1", guard.check("SELECT 1; ;").statement());
    }

    @Test
    void jdbcRewritingBindsRepeatedPlaceholdersAndEscapesQuestionMarks() {
        java.util.List<Integer> order = new java.util.ArrayList<>();
        String jdbc = SqlScanner.toJdbc("SELECT '$1 ?' , a ? 'k' FROM t WHERE a = $2 OR b = $1 OR c = $2", order);
        assertEquals("SELECT '$1 ?' , a ?? 'k' FROM t WHERE a = ? OR b = ? OR c = ?", jdbc);
        assertEquals(java.util.List.of(2, 1, 2), order);
    }
}
