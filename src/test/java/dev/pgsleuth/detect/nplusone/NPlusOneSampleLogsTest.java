package dev.pgsleuth.detect.nplusone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.parse.StatementInterpreter;
import dev.pgsleuth.source.LogInput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The project's sample logs (one real PostgreSQL 17 run of {@code SampleWorkload}, three formats)
 * hold two loops of per-key lookups: 20 orders lookups after one customers query in session
 * {@code shop-web} (the workload's N+1), and 8 orders lookups by id with no parent in
 * {@code shop-api} (keys from the application, still one statement per key). Everything else
 * (health checks, lock waits, errors, auto_explain, other sessions) gives nothing.
 */
class NPlusOneSampleLogsTest {
    /** The prefix the sample logs were written with (sample-logs/README.md). */
    private static final String PREFIX = "%m [%p] %q%u@%d/%a %c:%l ";

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "postgresql.csv", "postgresql.json"})
    @SuppressWarnings("unchecked")
    void theLoopsOfTheSampleWorkload(String file) {
        NPlusOneDetector detector = new NPlusOneDetector(new SqlNormalizer(), NPlusOneSettings.defaults());
        StatementInterpreter interpreter = new StatementInterpreter(detector);
        ParseOptions options = file.endsWith(".log") ? new ParseOptions(LogFormat.STDERR, PREFIX) : ParseOptions.auto();
        new LogParser().read(LogInput.of(Path.of("sample-logs", file)), options, interpreter);
        interpreter.finish();
        List<Finding> findings = detector.findings();
        assertEquals(List.of("shop-web", "shop-api"),
                findings.stream().map(f -> f.evidence().get("application")).toList(), findings.toString());

        Finding web = findings.get(0);
        assertEquals("n-plus-one", web.category());
        assertEquals(20L, web.evidence().get("repetitions"));
        List<Map<String, Object>> repeated = (List<Map<String, Object>>) web.evidence().get("repeated");
        assertEquals(20L, repeated.get(0).get("distinct_params"));
        assertEquals("customer_id", repeated.get(0).get("key_column"));
        assertEquals("SELECT id, name FROM customers WHERE country = $1 ORDER BY id LIMIT $2",
                ((Map<String, Object>) web.evidence().get("parent")).get("query"));
        assertEquals(List.of("customers", "orders"), web.tables());

        Finding api = findings.get(1);
        assertEquals(8L, api.evidence().get("repetitions"));
        assertNull(api.evidence().get("parent"));
        assertEquals("SELECT id, status, total FROM orders WHERE id = ANY($1);", api.suggestion().sql());
    }
}
