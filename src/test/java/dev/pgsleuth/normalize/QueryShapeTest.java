package dev.pgsleuth.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryShapeTest {

    private final SqlNormalizer n = new SqlNormalizer();

    private QueryShape shape(String sql) {
        return n.shape(n.normalize(sql));
    }

    @Test
    void hibernateLazyLoad() {
        QueryShape s = shape("select b1_0.id,b1_0.title from book b1_0 where b1_0.author_id=?");
        assertTrue(s.parsed());
        assertEquals(StatementKind.SELECT, s.kind());
        assertEquals(List.of("book"), s.tables());
        assertEquals(List.of("book.author_id"), s.filterColumns());
        assertFalse(s.hasJoin());
        assertFalse(s.hasLimit());
    }

    @Test
    void djangoQuotedNamesAndLimit() {
        QueryShape s = shape("SELECT \"app_author\".\"id\", \"app_author\".\"name\" FROM \"app_author\" "
                + "WHERE \"app_author\".\"id\" = 5 LIMIT 21");
        assertEquals(List.of("app_author"), s.tables());
        assertEquals(List.of("app_author.id"), s.filterColumns());
        assertTrue(s.hasLimit());
    }

    @Test
    void railsDollarParameters() {
        QueryShape s = shape("SELECT \"authors\".* FROM \"authors\" WHERE \"authors\".\"id\" = $1 LIMIT $2");
        assertTrue(s.parsed(), "JSQLParser 5.3 reads $n as JdbcParameter");
        assertEquals(List.of("authors"), s.tables());
        assertEquals(List.of("authors.id"), s.filterColumns());
        assertTrue(s.hasLimit());
    }

    @Test
    void joinWithAliasesResolvesColumns() {
        QueryShape s = shape("SELECT b.title, a.name FROM public.book b JOIN author a ON a.id = b.author_id "
                + "WHERE a.country IN ('FR', 'DE') AND b.published > '2020-01-01' ORDER BY b.published DESC");
        assertEquals(List.of("public.book", "author"), s.tables());
        assertEquals(List.of("author.id", "public.book.author_id"), s.joinColumns());
        assertEquals(List.of("author.country", "public.book.published"), s.filterColumns());
        assertEquals(List.of("public.book.published"), s.orderByColumns());
        assertTrue(s.hasJoin());
    }

    @Test
    void unqualifiedColumnsOfASingleTable() {
        QueryShape s = shape("SELECT * FROM orders WHERE customer_id = ANY($1) AND total BETWEEN 1 AND 9");
        assertEquals(List.of("orders.customer_id", "orders.total"), s.filterColumns());
    }

    @Test
    void cteAndSubqueryAndAggregate() {
        QueryShape s = shape("WITH recent AS (SELECT author_id FROM book WHERE published > now() - interval '1 year') "
                + "SELECT a.name, count(*) FROM author a WHERE a.id IN (SELECT author_id FROM recent) GROUP BY a.name");
        assertEquals(StatementKind.SELECT, s.kind());
        assertEquals(List.of("book", "author"), s.tables(), "CTE names are no tables");
        assertTrue(s.hasAggregate());
        assertTrue(s.filterColumns().contains("author.id"));
    }

    @Test
    void dmlKinds() {
        QueryShape u = shape("UPDATE account SET balance = balance - 10 WHERE id = 7");
        assertEquals(StatementKind.UPDATE, u.kind());
        assertEquals(List.of("account"), u.tables());
        assertEquals(List.of("account.id"), u.filterColumns());
        QueryShape i = shape("INSERT INTO audit (who, what) VALUES ('me', 'x')");
        assertEquals(StatementKind.INSERT, i.kind());
        assertEquals(List.of("audit"), i.tables());
        QueryShape d = shape("DELETE FROM sessions WHERE expires_at < now()");
        assertEquals(StatementKind.DELETE, d.kind());
        assertEquals(List.of("sessions"), d.tables());
    }

    @Test
    void unparsableFallsBackToLexer() {
        QueryShape s = shape("SELECT a FROM t1 JOIN t2 USING (id) WHERE x = 1 LIMIT 3 FOO BAR BAZ (");
        assertFalse(s.parsed());
        assertEquals(StatementKind.SELECT, s.kind());
        assertEquals(List.of("t1", "t2"), s.tables());
        assertTrue(s.hasJoin());
        assertTrue(s.hasLimit());
        QueryShape v = shape("VACUUM FULL my_table");
        assertEquals(StatementKind.UTILITY, v.kind());
        assertEquals(StatementKind.TRANSACTION, shape("SAVEPOINT a").kind());
        assertEquals(StatementKind.DDL, shape("CREATE TABLE x (a int)").kind());
    }

    /** {@code SELECT * FROM t WHERE a IN (SELECT a FROM t WHERE b IN (… ($1)))}, {@code levels} subqueries deep. */
    private static String nestedIn(int levels) {
        return "SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE b IN ".repeat(levels) + "($1)"
                + ")".repeat(levels);
    }

    @Test
    void shortFlatStatementsAreParsedOnTheCallingThreadTheRestOnTheTimedPool() {
        assertTrue(ShapeExtractor.parsesInline("SELECT count(*) FROM t WHERE a IN ($1, $2)"));
        assertTrue(ShapeExtractor.parsesInline(nestedIn(ShapeExtractor.MAX_PARENTHESES_INLINE - 1)));
        assertFalse(ShapeExtractor.parsesInline(nestedIn(ShapeExtractor.MAX_PARENTHESES_INLINE)));
        String longList = "SELECT * FROM t WHERE a IN (" + "$1, ".repeat(ShapeExtractor.MAX_LENGTH_INLINE / 4) + "$2)";
        assertFalse(ShapeExtractor.parsesInline(longList), "a long statement keeps the timeout");
        assertTrue(shape(longList).parsed());
        QueryShape deepestInline = shape(nestedIn(ShapeExtractor.MAX_PARENTHESES_INLINE - 1));
        assertTrue(deepestInline.parsed());
        assertEquals(List.of("t"), deepestInline.tables());
    }

    @Test
    void aRunawayParseIsGivenUpAtTheTimeoutForTheLexersShape() {
        // seconds of backtracking when let run: the timeout ends the wait after half a second
        QueryShape s = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> shape(nestedIn(14)));
        assertFalse(s.parsed());
        assertEquals(StatementKind.SELECT, s.kind());
        assertEquals(List.of("t"), s.tables());
    }

    @Test
    void shapeIsCachedPerFingerprint() {
        QueryShape a = shape("SELECT * FROM t WHERE id = 1");
        QueryShape b = shape("select * from t where id = 99");
        assertSame(a, b);
        SqlNormalizer small = new SqlNormalizer(10);
        for (int i = 0; i < 100; i++) {
            small.shape(small.normalize("SELECT * FROM t" + i));
        }
        assertTrue(small.cachedShapes() <= 10);
    }
}
