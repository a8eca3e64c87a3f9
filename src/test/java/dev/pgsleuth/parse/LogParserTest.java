package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.source.InputException;
import dev.pgsleuth.source.LogInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogParserTest {
    @TempDir
    Path dir;

    private static byte[] lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("2024-01-01 10:00:00.").append(String.format("%03d", i % 1000))
                    .append(" UTC [").append(i % 7).append("] LOG:  duration: 1.000 ms  statement: SELECT ").append(i)
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void truncatedGzipGivesTheEntriesBeforeTheDamageAndReportsIt() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(lines(50_000));
        }
        byte[] packed = bytes.toByteArray();
        Path f = dir.resolve("cut.log");
        Files.write(f, Arrays.copyOf(packed, packed.length / 2));
        List<LogEntry> out = new ArrayList<>();
        ParseResult r = new LogParser().read(LogInput.of(f), ParseOptions.auto(), b -> out.add(b.build()));
        assertEquals(LogFormat.STDERR, r.format());
        assertTrue(out.size() > 1000 && out.size() < 50_000, "entries: " + out.size());
        for (int i = 0; i < out.size() - 1; i++) {
            assertTrue(out.get(i).message().endsWith("SELECT " + i), out.get(i).message());
        }
        assertTrue(r.unparsed().samples().get(r.unparsed().samples().size() - 1).endsWith("truncated gzip stream"),
                r.unparsed().samples().toString());
    }

    @Test
    void forcedFormatAndPrefix() {
        byte[] log = "2024-01-01 10:00:00 UTC|9|LOG:  hi\n".getBytes(StandardCharsets.UTF_8);
        List<LogEntry> out = new ArrayList<>();
        ParseResult r = new LogParser().read(LogInput.of("s", () -> new java.io.ByteArrayInputStream(log)),
                new ParseOptions(LogFormat.STDERR, "%t|%p|"), b -> out.add(b.build()));
        assertEquals("%t|%p|", r.prefix());
        assertEquals(9, out.get(0).pid());
        assertEquals(1, r.lines());
        assertEquals(log.length, r.bytes());
    }

    @Test
    void forcedStderrOnABinaryFileCountsEveryLineAndDoesNotThrow() {
        byte[] random = new byte[200_000];
        new Random(7).nextBytes(random);
        ParseResult r = new LogParser().read(LogInput.of("bin", () -> new java.io.ByteArrayInputStream(random)),
                new ParseOptions(LogFormat.STDERR, "%m [%p] "), b -> fail("no entry in random bytes"));
        // every line but the empty ones (two newlines in a row) is counted
        assertTrue(r.unparsed().count() > r.lines() * 9 / 10 && r.unparsed().count() <= r.lines(), r.toString());
    }

    @Test
    void emptyInputIsNoError() {
        ParseResult r = new LogParser().read(LogInput.of("e", () -> new java.io.ByteArrayInputStream(new byte[0])),
                ParseOptions.auto(), b -> { });
        assertEquals(0, r.lines());
        assertEquals(0, r.unparsed().count());
    }

    @Test
    void missingFileAndUnknownFormatAreOneLineErrors() {
        InputException missing = assertThrows(InputException.class,
                () -> new LogParser().read(LogInput.of(dir.resolve("none.log")), ParseOptions.auto(), b -> { }));
        assertTrue(missing.getMessage().endsWith("none.log: no such file"));
        UnknownFormatException noReader = assertThrows(UnknownFormatException.class,
                () -> new LogParser(new ReaderRegistry()).read(
                        LogInput.of(CorpusStderrTest.corpus("stmt_type.log")), ParseOptions.auto(), b -> { }));
        assertEquals("no reader for log format stderr in this build", noReader.getMessage());
    }

    @Test
    void aRegisteredReaderIsUsedForItsFormat() {
        List<LogEntry> out = new ArrayList<>();
        ReaderRegistry registry = ReaderRegistry.defaults().register(LogFormat.CSVLOG, prefix -> (in, name, sink, u) -> {
            long n = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
            sink.accept(LogEntry.builder().message("csv lines: " + n));
            return n;
        });
        ParseResult r = new LogParser(registry).read(LogInput.of(CorpusStderrTest.corpus("anonymize.log")),
                ParseOptions.auto(), b -> out.add(b.build()));
        assertEquals(LogFormat.CSVLOG, r.format());
        assertEquals(null, r.prefix());
        assertEquals("csv lines: 8", out.get(0).message());
    }
}
