package dev.pgsleuth.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.detect.LogEvents;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.FindingSeverity;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.StatementPhase;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.UnparsedLines;
import dev.pgsleuth.testing.TestLogs;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    private static Report report(boolean showValues, List<LogEntry> extra) throws Exception {
        List<LogEntry> entries = new ArrayList<>(TestLogs.pg14Events());
        entries.addAll(TestLogs.entries("/events/tempfile_only.log"));
        entries.addAll(extra);
        SqlNormalizer normalizer = new SqlNormalizer();
        QueryAggregator agg = new QueryAggregator(normalizer, 1_000, showValues);
        LogEvents events = new LogEvents(normalizer, showValues);
        entries.forEach(agg.andThen(events));
        UnparsedLines unparsed = new UnparsedLines();
        unparsed.add("pg14-events.log", 3, "pg_ctl: could not start server");
        return new ReportBuilder("0.1.0-test").generatedAt(AT)
                .sources(List.of(new SourceSummary("pg14-events.log", "stderr", TestLogs.PG14_EVENTS_PREFIX, 18293, 142),
                        new SourceSummary("tempfile_only.log", "stderr", "%t [%p]: [%l-1] user=%u,db=%d ", 47505, 188)))
                .unparsed(unparsed).aggregator(agg).events(events).findings(findings()).build();
    }

    private static List<Finding> findings() {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("session", "6009c305.5ce");
        evidence.put("repetitions", 40);
        evidence.put("window_ms", 12.5);
        evidence.put("parent_fingerprint", "00000000000000aa");
        return List.of(
                new Finding("seq-scan-selective-filter:00000000000000bb", "seq-scan-selective-filter", "index",
                        FindingSeverity.MEDIUM, "Sequential scan of `accounts` keeps 1 row in 20,000.",
                        "The filter on `accounts.balance` is selective but no index serves it.",
                        List.of("00000000000000bb"), List.of("public.accounts"), null, null, Map.of(),
                        new Finding.Suggestion("Create an index.", "CREATE INDEX ON accounts (balance);")),
                new Finding("n-plus-one:00000000000000aa:00000000000000cc", "n-plus-one", "n-plus-one",
                        FindingSeverity.HIGH, "The loader runs one `SELECT` per row of `orders` (N+1).",
                        "40 statements of one shape ran in 12.5 ms in one session after a parent query. ".repeat(4),
                        List.of("00000000000000aa", "00000000000000cc"), List.of("orders", "order_lines"),
                        AT.minusMinutes(5), AT.minusMinutes(4), evidence,
                        new Finding.Suggestion("Fetch the lines with a JOIN or one `IN` query.", null)));
    }

    private static List<LogEntry> withParameters() {
        return List.of(LogEntry.builder().timestamp(AT).pid(42).statement("SELECT * FROM users WHERE email = $1")
                .phase(StatementPhase.EXECUTE).durationMs(123456789.5)
                .parameters(List.of("alice@example.com")).build());
    }

    private static Schema schema() throws Exception {
        try (InputStream in = ReportTest.class.getResourceAsStream("/schema/pgsleuth-report-1.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void producedReportValidatesAgainstTheSchema() throws Exception {
        for (boolean show : new boolean[] {false, true}) {
            String json = new JsonReportWriter().toJson(report(show, withParameters()));
            List<Error> errors = schema().validate(new ObjectMapper().readTree(json));
            assertEquals(List.of(), errors, json);
        }
    }

    @Test
    void schemaRejectsUnknownAndMistypedFields() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = (ObjectNode) m.readTree(new JsonReportWriter().toJson(report(false, List.of())));
        ((ObjectNode) root.get("queries").get(0)).put("total_time", 1);
        assertFalse(schema().validate(root).isEmpty());
        ObjectNode root2 = (ObjectNode) m.readTree(new JsonReportWriter().toJson(report(false, List.of())));
        ((ObjectNode) root2.get("events").get("temp_files")).put("count", "five");
        assertFalse(schema().validate(root2).isEmpty());
        ObjectNode root3 = (ObjectNode) m.readTree(new JsonReportWriter().toJson(report(false, List.of())));
        ((ObjectNode) root3.get("findings").get(0).get("evidence")).put("anything", "goes");
        assertEquals(List.of(), schema().validate(root3), "evidence is free-form");
    }

    @Test
    void jsonUsesTheContractNamesAndFormats() throws Exception {
        String json = new JsonReportWriter(false, true).toJson(report(false, withParameters()));
        assertTrue(json.contains("\"total_ms\":123456789.5,"), "plain decimal, no exponent");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("pgsleuth-report/1", root.get("schema").asText());
        assertEquals("2026-01-02T03:04:05Z", root.get("generated_at").asText());
        assertEquals("pgsleuth", root.get("tool").get("name").asText());
        JsonNode input = root.get("input");
        assertEquals(1, input.get("unparsed_lines").asLong());
        assertEquals("2014-04-01T11:13:21+02:00", input.get("first_timestamp").asText());
        JsonNode top = root.get("queries").get(0);
        assertEquals("SELECT * FROM users WHERE email = $1", top.get("query").asText());
        for (String field : List.of("fingerprint", "kind", "tables", "count", "mean_ms", "min_ms", "max_ms", "p50_ms",
                "p95_ms", "p99_ms", "first_seen", "last_seen", "databases", "users", "applications", "example",
                "parse_ms", "bind_ms")) {
            assertTrue(top.has(field), field);
        }
        List<Double> totals = new ArrayList<>();
        root.get("queries").forEach(q -> totals.add(q.get("total_ms").asDouble()));
        for (int i = 1; i < totals.size(); i++) {
            assertTrue(totals.get(i - 1) >= totals.get(i), "sorted by total_ms: " + totals);
        }
        assertEquals("high", root.get("findings").get(0).get("severity").asText());
        assertEquals(List.of("session", "repetitions", "window_ms", "parent_fingerprint"),
                iterable(root.get("findings").get(0).get("evidence").fieldNames()), "evidence keeps its order");
        assertEquals(1, root.get("events").get("deadlocks").get("count").asInt());
        assertEquals(5, root.get("events").get("connections").get("sessions").get("count").asInt());
    }

    @Test
    void valuesAreMaskedUnlessAskedFor() throws Exception {
        JsonNode masked = new ObjectMapper().readTree(new JsonReportWriter().toJson(report(false, withParameters())));
        JsonNode example = masked.get("queries").get(0).get("example");
        assertEquals("SELECT * FROM users WHERE email = $1", example.get("statement").asText());
        assertFalse(example.has("parameters"));
        String maskedJson = masked.toString();
        assertFalse(maskedJson.contains("alice@example.com"));
        assertFalse(maskedJson.contains("SELECT 1/0"), "error examples are normalized too");
        assertTrue(maskedJson.contains("SELECT $1/$2"));
        JsonNode insert = find(masked, "INSERT INTO accounts SELECT");
        assertTrue(insert.get("example").get("statement").asText().contains("generate_series($2, $3)"),
                insert.toString());

        JsonNode shown = new ObjectMapper().readTree(new JsonReportWriter().toJson(report(true, withParameters())));
        assertEquals(List.of("alice@example.com"),
                List.of(shown.get("queries").get(0).get("example").get("parameters").get(0).asText()));
        assertTrue(find(shown, "INSERT INTO accounts SELECT").get("example").get("statement").asText()
                .contains("generate_series(1, 20000)"));
    }

    @Test
    void outputIsDeterministicAndGeneratedAtCanBeLeftOut() throws Exception {
        JsonReportWriter golden = new JsonReportWriter(true, false);
        String a = golden.toJson(report(false, List.of()));
        String b = golden.toJson(new ReportBuilder("0.1.0-test").generatedAt(AT.plusDays(1)).build());
        assertEquals(a, golden.toJson(report(false, List.of())));
        assertFalse(a.contains("generated_at"));
        assertNotEquals(a, b);
        assertTrue(new JsonReportWriter(false, true).toJson(report(false, List.of())).contains("\"generated_at\":"));
    }

    @Test
    void emptyReportIsValid() throws Exception {
        Report empty = new ReportBuilder("x").build();
        assertEquals(List.of(), schema().validate(new ObjectMapper().readTree(new JsonReportWriter().toJson(empty))));
        assertTrue(empty.generatedAt() != null);
        assertTrue(new TextSummary(5).render(empty).startsWith("pgsleuth x\n"));
    }

    @Test
    void cappedReportSaysSo() throws Exception {
        QueryAggregator agg = new QueryAggregator(new SqlNormalizer(), 2, false);
        for (String t : List.of("a", "b", "c")) {
            agg.accept(LogEntry.builder().statement("SELECT * FROM " + t).phase(StatementPhase.SIMPLE).durationMs(2).build());
        }
        Report r = new ReportBuilder("x").generatedAt(AT).aggregator(agg).build();
        assertTrue(r.shapesCapped());
        assertEquals(new Report.Other(2, 1, 1, 2.0), r.other());
        assertEquals(List.of(), schema().validate(new ObjectMapper().readTree(new JsonReportWriter().toJson(r))));
        assertTrue(new TextSummary(5).render(r).contains("folded into 'other'"));
    }

    @Test
    void shapesSummarizedAlreadyAreTheReportsQueries() {
        QueryAggregator agg = new QueryAggregator(new SqlNormalizer(), 10, false);
        for (String t : List.of("a", "b", "b")) {
            agg.accept(LogEntry.builder().statement("SELECT * FROM " + t).phase(StatementPhase.SIMPLE).durationMs(2).build());
        }
        Report built = new ReportBuilder("x").generatedAt(AT).aggregator(agg).build();
        Report given = new ReportBuilder("x").generatedAt(AT).aggregator(agg).shapes(agg.shapes()).build();
        assertEquals(built, given);
        assertEquals(List.of("SELECT * FROM b", "SELECT * FROM a"), built.queries().stream().map(Report.Query::query).toList());
        // the list given is what the report shows, not a summary of its own
        Report one = new ReportBuilder("x").generatedAt(AT).aggregator(agg).shapes(agg.shapes().subList(0, 1)).build();
        assertEquals(1, one.queries().size());
        assertEquals(3, one.input().entries());
    }

    @Test
    void textSummaryFitsHundredColumnsAndPutsNPlusOneFirst() throws Exception {
        String text = new TextSummary(10).render(report(true, withParameters()));
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= TextSummary.WIDTH, line.length() + ": " + line);
        }
        int nPlusOne = text.indexOf("N+1 query patterns");
        int other = text.indexOf("Findings (1)");
        int byTotal = text.indexOf("Top shapes by total time");
        int byCount = text.indexOf("Top shapes by count");
        int slowest = text.indexOf("Slowest single statements");
        int events = text.indexOf("Events");
        assertTrue(nPlusOne >= 0 && nPlusOne < other && other < byTotal && byTotal < byCount
                && byCount < slowest && slowest < events, text);
        assertTrue(text.contains("[HIGH] The loader runs one `SELECT` per row of `orders` (N+1)."));
        assertTrue(text.contains("Deadlocks: 1"));
        assertTrue(text.contains("Temporary files: 6"));
    }

    @Test
    void textSummaryShowsTopN() throws Exception {
        String text = new TextSummary(2).render(report(false, List.of()));
        String section = text.substring(text.indexOf("Top shapes by count"), text.indexOf("Slowest single statements"));
        assertEquals(2 + 3, section.split("\n").length, section);
    }

    @Test
    void baselineKnowsTheFindingsOfAnEarlierReport(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        try (var out = Files.newOutputStream(file)) {
            new JsonReportWriter().write(report(false, List.of()), out);
        }
        Baseline b = Baseline.read(file);
        assertTrue(b.isKnown("n-plus-one:00000000000000aa:00000000000000cc"));
        assertFalse(b.isKnown("n-plus-one:00000000000000aa:00000000000000dd"));
        assertEquals(2, b.ids().size());
        Path notAReport = dir.resolve("other.json");
        Files.writeString(notAReport, "{\"hello\": 1}");
        assertThrows(java.io.IOException.class, () -> Baseline.read(notAReport));
        Files.writeString(notAReport, "not json");
        assertThrows(java.io.IOException.class, () -> Baseline.read(notAReport));
    }

    private static JsonNode find(JsonNode root, String queryPrefix) {
        for (JsonNode q : root.get("queries")) {
            if (q.get("query").asText().startsWith(queryPrefix)) {
                return q;
            }
        }
        throw new AssertionError("no query " + queryPrefix);
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
