package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.bench.SyntheticLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jsonlog read in blocks of lines on worker threads ({@link LineRecordBlocks}), statements read
 * there too, gives the interpreter the same entries, line numbers and unread lines as the
 * one-thread read, whatever the block size.
 */
class JsonBlocksTest {
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        WORKERS.shutdownNow();
    }

    private static ReadOutcome read(byte[] log, int blockBytes) throws IOException {
        return ReadOutcome.interpreted((out, unparsed) -> blockBytes == 0
                ? new JsonLogReader().read(new ByteArrayInputStream(log), "t.json", out, unparsed)
                : LineRecordBlocks.read(new ByteArrayInputStream(log), "t.json", out, unparsed, WORKERS,
                        JsonLogReader.Lines::new, blockBytes, JsonLineSplitter.MAX_LINE_BYTES));
    }

    private static void assertSameAsOneThread(byte[] log, int... blockSizes) throws IOException {
        ReadOutcome one = read(log, 0);
        for (int block : blockSizes) {
            read(log, block).assertSameAs(one, "blocks of " + block);
        }
    }

    @Test
    void aLogPostgreSqlWrote() throws IOException, URISyntaxException {
        byte[] log = Files.readAllBytes(Path.of(JsonBlocksTest.class.getResource("/captured/pg17-jdbc-workload.json").toURI()));
        assertTrue(read(log, 0).entries().stream().anyMatch(e -> !e.parameters().isEmpty()), "bind values to read");
        assertSameAsOneThread(log, 300, 4096, 1 << 20);
    }

    @Test
    void aSyntheticLogWithLoopsErrorsAndPlans() throws IOException {
        Path file = dir.resolve("s.json");
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.JSONLOG, 1 << 20, 300, 5), file);
        assertSameAsOneThread(Files.readAllBytes(file), 1000, 64 << 10);
    }

    @Test
    void randomAndDamagedLines() throws IOException {
        Random random = new Random(11);
        for (int round = 0; round < 100; round++) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            for (int n = random.nextInt(40); n >= 0; n--) {
                byte[] line = JsonRecordFieldsTest.randomLine(random);
                if (random.nextInt(3) == 0) {
                    line = JsonRecordFieldsTest.damage(random, line);
                }
                log.write(line, 0, line.length);
                if (random.nextInt(10) == 0) {
                    log.write('\r');
                }
                log.write('\n');
                if (random.nextInt(10) == 0) {
                    log.write('\n');
                }
            }
            assertSameAsOneThread(log.toByteArray(), 50 + random.nextInt(500));
        }
    }
}
