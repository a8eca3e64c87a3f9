package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AutoExplainPlanTest {

    private static final String QUERY = "SELECT id,\n       name\nFROM items\nWHERE id < $1";
    private static final String PLAN = "Index Scan using items_pkey on items  (cost=0.15..8.17 rows=1 width=64)\n"
            + "  Index Cond: (id < $1)";
    private static final String BODY = "Query Text: " + QUERY + "\nQuery Parameters: $1 = 'a,\nb'\n" + PLAN;

    @Test
    void multiLineQueryWithParametersWhenTheStatementIsKnown() {
        AutoExplainPlan p = AutoExplainPlan.parse(BODY, QUERY);
        assertEquals(QUERY, p.queryText());
        assertEquals(List.of("a,\nb"), p.parameters());
        assertEquals(PLAN, p.plan());
    }

    @Test
    void multiLineQueryFoundWithoutTheStatement() {
        AutoExplainPlan p = AutoExplainPlan.parse(BODY, null);
        assertEquals(QUERY, p.queryText());
        assertEquals(PLAN, p.plan());
        AutoExplainPlan noParams = AutoExplainPlan.parse("Query Text: " + QUERY + "\n" + PLAN, null);
        assertEquals(QUERY, noParams.queryText());
        assertEquals(List.of(), noParams.parameters());
        assertEquals(PLAN, noParams.plan());
    }

    @Test
    void matchesOnlyItsOwnStatement() {
        assertTrue(AutoExplainPlan.isPlanOf(BODY, QUERY));
        assertFalse(AutoExplainPlan.isPlanOf(BODY, "SELECT id"));
        assertFalse(AutoExplainPlan.isPlanOf(BODY, QUERY + " AND x"));
    }

    @Test
    void jsonFormat() {
        String body = "{\n  \"Query Text\": \"SELECT count(*) FROM items WHERE name LIKE $1\",\n"
                + "  \"Query Parameters\": \"$1 = 'name%'\",\n  \"Plan\": {\n    \"Node Type\": \"Aggregate\"\n  }\n}";
        AutoExplainPlan p = AutoExplainPlan.parse(body, null);
        assertEquals("SELECT count(*) FROM items WHERE name LIKE $1", p.queryText());
        assertEquals(List.of("name%"), p.parameters());
        assertEquals(body, p.plan());
        assertTrue(AutoExplainPlan.isPlanOf(body, "SELECT count(*) FROM items WHERE name LIKE $1"));
    }

    @Test
    void otherFormatsKeepTheBodyAsPlan() {
        AutoExplainPlan p = AutoExplainPlan.parse("<explain xmlns=\"x\"><Query>…</Query></explain>", null);
        assertNull(p.queryText());
        assertTrue(p.plan().startsWith("<explain"));
        AutoExplainPlan cut = AutoExplainPlan.parse("{\"Query Text\": \"SELECT 1\", \"Plan\": {", null);
        assertEquals("SELECT 1", cut.queryText());
    }
}
