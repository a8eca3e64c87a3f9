package dev.pgsleuth.detect.nplusone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text scanners: batch sizes, key predicates and batch rewrites. */
class SqlTextTest {

    @Test
    void batchSizeCountsInListsAndArrays() {
        assertEquals(1, SqlText.batchSize("select * from t where id = $1", List.of("1")));
        assertEquals(1, SqlText.batchSize("select * from \"User\" where \"id\" IN ($1) OFFSET $2", List.of("4", "0")));
        assertEquals(3, SqlText.batchSize("select * from t where id in ($1, $2, $3)", List.of("1", "2", "3")));
        assertEquals(10, SqlText.batchSize("SELECT authors.* FROM authors WHERE authors.id IN (1,2,3,4,5,6,7,8,9,10)", List.of()));
        assertEquals(4, SqlText.batchSize("select * from t where t.id = any ($1)", List.of("{1,2,3,4}")));
        assertEquals(1, SqlText.batchSize("select * from t where t.id = any ($1)", List.of("{7}")));
        assertEquals(2, SqlText.batchSize("select * from t where t.id = any ($1)", List.of()), "unknown array: a batch");
        assertEquals(3, SqlText.batchSize("select * from t where t.id = ANY(ARRAY[1, 2, 3])", List.of()));
        assertEquals(2, SqlText.batchSize("select * from t where t.id = any('{5,6}')", List.of()));
        assertEquals(1, SqlText.batchSize("select * from t where t.id in (select x from u where u.y = $1)", List.of("1")));
        assertEquals(1, SqlText.batchSize("select 'in (1,2)' from t where id = $1", List.of("1")), "not inside a string");
    }

    @Test
    void keyPredicateOnEitherSideOrInASingleKeyList() {
        SqlText.KeyPredicate p = SqlText.keyPredicate("select * from book b1_0 where b1_0.author_id=$1", 1);
        assertEquals("b1_0.author_id", p.column());
        assertEquals("author_id", p.columnName());
        assertEquals("addresses.user_id", SqlText.keyPredicate("select * from addresses WHERE $1 = addresses.user_id", 1).column());
        assertEquals("\"public\".\"User\".\"id\"",
                SqlText.keyPredicate("select 1 from \"public\".\"User\" where \"public\".\"User\".\"id\" IN ($1) OFFSET $2", 1).column());
        assertNull(SqlText.keyPredicate("select * from t where t.a > $1", 1));
        assertEquals("t.b", SqlText.keyPredicate("select * from t where t.a = $10 and t.b = $1", 1).column(), "$1 is not $10");
    }

    @Test
    void batchFormDropsLimitsAndGroupsCounts() {
        String text = "SELECT \"a\".\"id\" FROM \"a\" WHERE \"a\".\"id\" = $1 LIMIT $2";
        assertEquals("SELECT \"a\".\"id\" FROM \"a\" WHERE \"a\".\"id\" = ANY($1)",
                SqlText.batchForm(text, SqlText.keyPredicate(text, 1), 1, false));
        String count = "select count(*) from book b where b.author_id = $1;";
        assertEquals("select b.author_id, count(*) from book b where b.author_id = ANY($1) GROUP BY b.author_id",
                SqlText.batchForm(count, SqlText.keyPredicate(count, 1), 1, true));
        String second = "select * from t where t.kind = $1 and t.parent_id = $2 limit $3";
        assertEquals("select * from t where t.kind = $1 and t.parent_id = ANY($2)",
                SqlText.batchForm(second, SqlText.keyPredicate(second, 2), 2, false));
    }

    @Test
    void firstKeywordAndOwnMarker() {
        assertEquals("select", SqlText.firstKeyword("  /* app */ (SELECT 1)"));
        assertEquals("with", SqlText.firstKeyword("-- x\nWITH a AS (select 1) select * from a"));
        assertTrue(SqlText.startsWithComment("  /* pgsleuth */ EXPLAIN select 1", "pgsleuth"));
        assertTrue(!SqlText.startsWithComment("select 1 /* pgsleuth */", "pgsleuth"));
    }
}
