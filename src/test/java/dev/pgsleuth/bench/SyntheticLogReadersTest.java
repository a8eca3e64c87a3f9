package dev.pgsleuth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.parse.ParseResult;
import dev.pgsleuth.parse.ReaderRegistry;
import dev.pgsleuth.source.LogInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The project's own readers read the synthetic log as they read a real one, with nothing left
 * unparsed and the entries the generator says it wrote. The stderr prefix is given, not
 * inferred: the inference does not yet recognize {@code '%m [%p] %q%u@%d/%a %c:%l '}, on the real
 * {@code sample-logs/postgresql.log} either. Formats without a reader in this build are skipped.
 */
class SyntheticLogReadersTest {
    private static final String PREFIX = "%m [%p] %q%u@%d/%a %c:%l ";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"STDERR", "CSVLOG", "JSONLOG"})
    void readersParseEveryLineIntoTheEntriesWritten(LogFormat format) throws IOException {
        assumeTrue(ReaderRegistry.defaults().supports(format), "no " + format.cliName() + " reader in this build");
        Path file = dir.resolve("synthetic." + format.cliName());
        Summary summary = SyntheticLog.write(new SyntheticLog.Settings(format, 6 << 20, 3000, 11), file);

        Map<EntryKind, Long> counted = new EnumMap<>(EntryKind.class);
        long[] withParameters = new long[1];
        ParseOptions options = new ParseOptions(format, format == LogFormat.STDERR ? PREFIX : null);
        ParseResult result = new LogParser().read(LogInput.of(file), options, b -> {
            LogEntry e = b.build();
            counted.merge(LogLines.kind(e.severity().name(), e.message()), 1L, Long::sum);
            if (e.detail() != null && e.detail().startsWith("Parameters: $1 = ")) {
                withParameters[0]++;
            }
        });

        assertEquals(0, result.unparsed().count(), () -> "unparsed: " + result.unparsed().samples());
        assertEquals(summary.bytes(), result.bytes());
        assertEquals(summary.lines(), result.lines());
        for (EntryKind k : EntryKind.values()) {
            assertEquals(summary.count(k), counted.getOrDefault(k, 0L), k.toString());
        }
        assertTrue(withParameters[0] > summary.count(EntryKind.EXECUTE) / 2, "bind parameters reach the entries");
    }
}
