package dev.pgsleuth.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What may reach the database as an index to check, and what the real build refuses. */
class IndexStatementTest {

    @Test
    void theSuggestionsOfTheRulesAreTakenApart() {
        IndexStatement plain = IndexStatement.parse(
                "CREATE INDEX CONCURRENTLY orders_customer_email_total_idx ON orders (customer_email, total) INCLUDE (zip);");
        assertEquals("CREATE INDEX orders_customer_email_total_idx ON orders (customer_email, total) INCLUDE (zip)", plain.sql());
        assertEquals("orders_customer_email_total_idx", plain.name());
        assertEquals(List.of(), plain.functions());
        assertNull(plain.functionNotAllowedInBuild());

        IndexStatement partial = IndexStatement.parse(
                "CREATE INDEX CONCURRENTLY orders_total_partial_idx ON orders (total) WHERE (status = 'cancelled'::text);");
        assertEquals("CREATE INDEX orders_total_partial_idx ON orders (total) WHERE (status = 'cancelled'::text)", partial.sql());
        assertNull(partial.functionNotAllowedInBuild());

        IndexStatement expression = IndexStatement.parse(
                "CREATE INDEX CONCURRENTLY customers_lower_email_idx ON customers ((lower(email)));");
        assertEquals(List.of("lower"), expression.functions());
        assertNull(expression.functionNotAllowedInBuild());

        IndexStatement trgm = IndexStatement.parse("CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY "
                + "customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);");
        assertEquals(List.of("pg_trgm"), trgm.extensions());
        assertEquals("CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops)", trgm.sql());
        assertEquals(List.of(), trgm.functions());

        IndexStatement quoted = IndexStatement.parse("CREATE UNIQUE INDEX IF NOT EXISTS \"Odd Name\" ON public.\"Orders\" (\"Id\")");
        assertEquals("Odd Name", quoted.name());
        assertEquals(List.of(), quoted.functions());
    }

    @Test
    void aRealBuildRefusesFunctionsOtherThanLowerAndUpper() {
        assertEquals("bump_audit", IndexStatement.parse(
                "CREATE INDEX x ON orders ((bump_audit())) WHERE (status = 'a')").functionNotAllowedInBuild());
        assertEquals("my_fn", IndexStatement.parse(
                "CREATE INDEX x ON orders (total) WHERE my_fn(status)").functionNotAllowedInBuild());
    }

    @Test
    void anythingButOneIndexIsRefused() {
        for (String bad : List.of("", "DROP INDEX orders_pkey", "SET LOCAL work_mem = '64MB';",
                "CREATE INDEX a ON t (x); CREATE INDEX b ON t (y);", "CREATE INDEX a ON t (x); DROP TABLE t;",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm;", "ANALYZE orders;",
                "CREATE EXTENSION dblink; CREATE INDEX a ON t (x)")) {
            assertThrows(IllegalArgumentException.class, () -> IndexStatement.parse(bad), bad);
        }
    }
}
