package dev.pgsleuth.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lexer's outline must name the tables JSQLParser's walk names, in the same order, and set the
 * same JOIN, aggregate and LIMIT flags.
 */
class LexerOutlineTest {

    /** ORM and hand-written SQL the lexer must answer on its own (no parser). */
    static final List<String> LEXED = List.of(
            "select u1_0.id,u1_0.email,u1_0.name from users u1_0 where u1_0.id=$1",
            "select o.id, o.total from public.orders o join customers c on c.id = o.customer_id where c.id = $1",
            "SELECT a.x FROM a, b AS bb, \"Mixed\".\"Case\" WHERE a.id = bb.a_id",
            "select * from orders o left join lateral (select * from items i where i.order_id = o.id) x on true",
            "select * from (select id from users where active) u join orders o on o.user_id = u.id",
            "SELECT * FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > $1) ORDER BY id",
            "SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)",
            "SELECT * FROM a WHERE x IS DISTINCT FROM $1 FOR NO KEY UPDATE SKIP LOCKED",
            "SELECT * FROM a FOR UPDATE OF a",
            "SELECT id FROM a UNION ALL SELECT id FROM b",
            "select count(*) from generate_series($1, $2) g join t on t.id = g",
            "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
            "update accounts a set balance = b.total from balances b, ledger l where a.id = b.id",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)",
            "insert into public.items as i (id, name) values ($1, $2) on conflict (id) do update set name = excluded.name returning id",
            "insert into archive select * from orders where created < $1",
            "DELETE FROM sessions WHERE expires < now()",
            "select * from a join b using (id) join c on c.id = b.id",
            "BEGIN",
            "SET application_name = 'x'",
            "SELECT pg_sleep($1)",
            "VALUES ($1, $2)",
            "select count(*) from comments c where c.post_id = $1",
            "select o.id from orders o where o.user_id = $1 order by o.id limit $2",
            "select a, max(b) from t where exists (select 1 from u where u.a = t.a) group by a",
            "SELECT * FROM a ORDER BY id OFFSET $1 ROWS FETCH FIRST $2 ROWS ONLY",
            "select x.id from (select id from a limit 10) x",
            "SELECT min, max FROM ranges WHERE id = $1",
            "insert into t select a.* from a join b on a.id = b.id limit 5",
            "delete from a where id in (select id from b limit 10)",
            "select o.id, count(*) over () from orders o where o.user_id = $1 limit $2",
            "select sum(count(*)) over (partition by a) from t group by a",
            "select count(*) filter (where t.b) from t",
            "select percentile_cont($1) within group (order by x) from t",
            "select max(x) over w, min(x) from t window w as (order by y)",
            "select pg_catalog.count(*) from t");

    /** Statements whose tables the lexer cannot list as the parser does. */
    static final List<String> PARSED = List.of(
            "WITH x AS (SELECT * FROM a) SELECT * FROM x JOIN b ON true",
            "SELECT (SELECT count(*) FROM b WHERE b.a = a.id) FROM a",
            "SELECT extract(year FROM d) FROM a",
            "SELECT * FROM (a JOIN b ON a.id = b.id)",
            "SELECT * FROM db.s.t",
            "SELECT * INTO tmp FROM a",
            "UPDATE a SET x = (SELECT max(y) FROM b) FROM c",
            "SELECT 1; SELECT 2",
            "DELETE FROM a USING b WHERE a.id = b.id",
            "MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN DELETE",
            "insert into t (n) values (count($1))",
            "delete from a where id in (select id from b group by id)");

    private final SqlNormalizer normalizer = new SqlNormalizer();

    @Test
    void answersCommonSqlWithoutTheParserAndAgreesWithIt() {
        for (String sql : LEXED) {
            NormalizedStatement ns = normalizer.normalize(sql);
            assertNotNull(LexerOutline.of(ns.fingerprint(), ns.text(), new Lexer()), sql);
            assertAgrees(ns);
        }
    }

    @Test
    void leavesTheHardCasesToTheParser() {
        for (String sql : PARSED) {
            NormalizedStatement ns = normalizer.normalize(sql);
            assertNull(LexerOutline.of(ns.fingerprint(), ns.text(), new Lexer()), sql);
            assertAgrees(ns);
        }
    }

    @Test
    void namesTablesInTheParsersOrder() {
        QueryShape o = normalizer.outline(normalizer.normalize(
                "select * from b join a on a.id = b.id where b.x in (select x from c) and exists (select 1 from a)"));
        assertEquals(StatementKind.SELECT, o.kind());
        assertEquals(List.of("b", "a", "c"), o.tables());
        assertEquals(List.of("Mixed.Case", "b"),
                normalizer.outline(normalizer.normalize("select 1 from \"Mixed\".\"Case\", B")).tables());
    }

    @Test
    void agreesOnPgQueryVectors() throws Exception {
        List<String> sql = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/pg_query/fingerprint.json")) {
            for (JsonNode v : new ObjectMapper().readTree(in)) {
                sql.add(v.get("input").asText());
            }
        }
        for (String s : sql) {
            assertAgrees(normalizer.normalize(s));
        }
    }

    private void assertAgrees(NormalizedStatement ns) {
        // fresh normalizers: a cached shape may come from another text of the same fingerprint
        QueryShape full = new SqlNormalizer().shape(ns);
        QueryShape outline = new SqlNormalizer().outline(ns);
        assertEquals(full.kind(), outline.kind(), ns.text());
        assertEquals(full.tables(), outline.tables(), ns.text());
        assertEquals(full.hasJoin(), outline.hasJoin(), "join: " + ns.text());
        assertEquals(full.hasAggregate(), outline.hasAggregate(), "aggregate: " + ns.text());
        assertEquals(full.hasLimit(), outline.hasLimit(), "limit: " + ns.text());
    }
}
