package dev.pgsleuth.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped sample logs (written by a real PostgreSQL 17, see sample-logs/README.md) give
 * exactly their golden reports {@code <name>.expected.json}, which validate against the
 * published schema. Regenerate the golden files after an intended change with
 * {@code mvn test -Dtest=SampleReportsTest -Dpgsleuth.regenerate=true} and review the diff.
 */
class SampleReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean REGENERATE = Boolean.getBoolean("pgsleuth.regenerate");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "postgresql.csv", "postgresql.json"})
    void reportEqualsTheGoldenFile(String name) throws Exception {
        Path log = Path.of("sample-logs", name);
        Path golden = Path.of("sample-logs", name + ".expected.json");
        String json = new JsonReportWriter(true, false).toJson(AnalysisFixtures.analyze(log)) + "\n";
        if (REGENERATE) {
            Files.writeString(golden, json, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), json,
                "the report of " + log + " differs from " + golden);
        assertEquals(List.of(), schema().validate(JSON.readTree(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.csv", "postgresql.json"})
    void everyFormatOfTheSameWorkloadGivesTheSameShapesAndCounts(String name) {
        assertEquals(countsPerShape(AnalysisFixtures.analyze(Path.of("sample-logs/postgresql.log"))),
                countsPerShape(AnalysisFixtures.analyze(Path.of("sample-logs", name))));
    }

    private static Map<String, Long> countsPerShape(Report r) {
        Map<String, Long> counts = new TreeMap<>();
        r.queries().forEach(q -> counts.put(q.query(), q.count()));
        return counts;
    }

    private static Schema schema() throws Exception {
        try (InputStream in = SampleReportsTest.class.getResourceAsStream("/schema/pgsleuth-report-1.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }
}
