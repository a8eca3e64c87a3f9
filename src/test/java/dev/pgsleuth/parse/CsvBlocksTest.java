package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.bench.SyntheticLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * csvlog read in blocks of records on worker threads gives the interpreter the same entries, line
 * numbers and unread records as the one-thread read, whatever the block size: also when a line of
 * a record's text that starts like a record makes a block end inside a record, which the reading
 * thread then reads again joined to the next.
 */
class CsvBlocksTest {
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        WORKERS.shutdownNow();
    }

    private static ReadOutcome read(byte[] log, int blockBytes) throws IOException {
        return ReadOutcome.interpreted((out, unparsed) -> blockBytes == 0
                ? new CsvLogReader().read(new ByteArrayInputStream(log), "t.csv", out, unparsed)
                : new CsvLogReader.Blocks("t.csv", out, unparsed, true, blockBytes)
                        .read(new ByteArrayInputStream(log), WORKERS));
    }

    private static void assertSameAsOneThread(byte[] log, int... blockSizes) throws IOException {
        ReadOutcome one = read(log, 0);
        for (int block : blockSizes) {
            read(log, block).assertSameAs(one, "blocks of " + block);
        }
    }

    private static byte[] resource(String name) throws IOException, URISyntaxException {
        return Files.readAllBytes(Path.of(CsvBlocksTest.class.getResource(name).toURI()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/captured/pg17-jdbc-workload.csv", "/corpus/pg_rawcsv.log",
        "/corpus/csv_statement_without_duration.log"})
    void logsPostgreSqlWrote(String name) throws IOException, URISyntaxException {
        assertSameAsOneThread(resource(name), 200, 4096, 1 << 20);
    }

    @Test
    void aSyntheticLogWithMultiLineStatements() throws IOException {
        Path file = dir.resolve("s.csv");
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.CSVLOG, 1 << 20, 300, 5), file);
        byte[] log = Files.readAllBytes(file);
        assertTrue(read(log, 0).entries().stream().anyMatch(e -> e.statement() != null && e.statement().contains("\n")),
                "records with raw newlines to keep whole");
        assertSameAsOneThread(log, 700, 64 << 10);
    }

    /**
     * The reading thread reads again the bytes of blocks that workers read already, so these must
     * be as they were: the records' doubled quotes are undone in a copy. A line of a record's text
     * that starts with a time looks like a record's start to the cut; blocks that end there are
     * read again joined to the next, and the workers read on after them.
     */
    @Test
    void aTimeAtTheStartOfALineInARecordMisleadsTheCutAndTheBlocksAreJoined() throws IOException {
        byte[] bytes = records(record("SELECT \"\"c\"\", %d\n2026-03-02 08:00:00.000 UTC AS \"\"t\"\"\nFROM t"), 60, "");
        ReadOutcome one = read(bytes, 0);
        assertEquals(60, one.entries().size());
        assertEquals("SELECT \"c\", 59\n2026-03-02 08:00:00.000 UTC AS \"t\"\nFROM t", one.entries().get(59).statement());
        int joins = 0;
        for (int blockBytes : new int[] {100, 300, 1000, 5000}) {
            CsvLogReader.Blocks[] blocks = new CsvLogReader.Blocks[1];
            ReadOutcome.interpreted((out, unparsed) -> {
                blocks[0] = new CsvLogReader.Blocks("t.csv", out, unparsed, true, blockBytes);
                return blocks[0].read(new ByteArrayInputStream(bytes), WORKERS);
            }).assertSameAs(one, "blocks of " + blockBytes);
            assertFalse(blocks[0].readOnToTheEnd(), "blocks of " + blockBytes);
            joins += blocks[0].joins();
        }
        assertTrue(joins > 0, "no cut fell on a misleading line");
    }

    /** A stray quote (a damaged record) does not mislead the cut, and the blocks read the same. */
    @Test
    void aStrayQuoteIsReadAsOneThreadReadsIt() throws IOException {
        // no record: an unquoted field with a quote in it, which a quote count takes as an opening one
        byte[] bytes = records(record("SELECT \"\"c\"\", %d\nFROM t"), 40, "garbage\"line\n");
        ReadOutcome one = read(bytes, 0);
        assertEquals(40, one.entries().size());
        assertEquals(6, one.unread());
        assertEquals("SELECT \"c\", 39\nFROM t", one.entries().get(39).statement());
        assertSameAsOneThread(bytes, 100, 300, 1000, 5000);
    }

    /**
     * The format of a csvlog record (its three {@code %d}: the milliseconds of the time, the session
     * line, a value in the statement) whose statement is {@code text}, quotes doubled.
     */
    private static String record(String text) {
        return "2026-03-02 08:00:00.%03d UTC,\"app\",\"shop\",21004,\"10.0.0.13:40006\",69a54380.520c,%d,"
                + "\"SELECT\",2026-03-02 08:00:00 UTC,3/4,0,LOG,00000,\"duration: 1.0 ms  statement: " + text + "\","
                + ",,,,,,,,\"shop-api\",\"client backend\",,0\n";
    }

    /**
     * {@code n} records of {@code format} ({@link #record}), with {@code between} after every
     * seventh from the fourth.
     */
    private static byte[] records(String format, int n, String between) {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < n; i++) {
            log.append(String.format(format, i, i, i));
            if (i % 7 == 3) {
                log.append(between);
            }
        }
        return log.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void randomAndDamagedLogs() throws IOException {
        Random random = new Random(5);
        for (int round = 0; round < 60; round++) {
            byte[] log = CsvLogReaderInPlaceTest.randomLog(random, 1 + random.nextInt(30));
            if (random.nextBoolean()) {
                log = CsvLogReaderInPlaceTest.damage(random, log);
            }
            assertSameAsOneThread(log, 64 + random.nextInt(2000));
        }
    }
}
