package dev.pgsleuth.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regenerates {@code sample-logs/} only when asked:
 * {@code mvn -o -q test -Dtest=SampleLogsGeneratorTest -Dpgsleuth.regenerate=true}.
 * (A test rather than {@code exec:java}, which does not resolve offline here.)
 */
class SampleLogsGeneratorTest {

    @Test
    @EnabledIfSystemProperty(named = "pgsleuth.regenerate", matches = "true")
    void regenerateSampleLogs() throws Exception {
        Path out = Path.of("sample-logs");
        SampleLogsGenerator.generate(out);
        for (String name : new String[] {"postgresql.log", "postgresql.csv", "postgresql.json", "README.md"}) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
    }
}
