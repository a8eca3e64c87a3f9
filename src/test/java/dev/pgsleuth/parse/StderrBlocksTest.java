package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stderr reader parses blocks of lines on worker threads and joins them on the reading thread:
 * whatever the block size, the entries (every field, positions included) and the unread lines
 * are those of the one-thread read, also where an entry's DETAIL, STATEMENT or continuation
 * lines fall in the next block.
 */
class StderrBlocksTest {
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stop() {
        WORKERS.shutdownNow();
    }

    private static ReadOutcome read(byte[] log, String prefix, int blockBytes, int maxLine, ExecutorService workers)
            throws IOException {
        return ReadOutcome.of((out, unparsed) -> new StderrReader(prefix, maxLine, blockBytes)
                .read(new ByteArrayInputStream(log), "t.log", out, unparsed, workers));
    }

    private static void assertSameAsOneThread(byte[] log, String prefix, int maxLine, int... blockSizes)
            throws IOException {
        ReadOutcome one = read(log, prefix, LineBlocks.BLOCK_BYTES, maxLine, null);
        for (int block : blockSizes) {
            read(log, prefix, block, maxLine, WORKERS).assertSameAs(one, "blocks of " + block);
        }
    }

    @Test
    void pgBadgersLightLogInBlocksOfEverySize() throws IOException {
        byte[] log;
        try (InputStream in = new BZip2CompressorInputStream(
                Files.newInputStream(CorpusStderrTest.corpus("light.postgres.log.bz2")))) {
            log = in.readAllBytes();
        }
        assertTrue(log.length > 100_000, "a log of many blocks");
        assertSameAsOneThread(log, "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", LineReader.DEFAULT_MAX_LINE,
                97, 1024, 64 << 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"multiline_param.log", "stmt_type.log", "anonymize.log"})
    void corpusLogsInSmallBlocks(String name) throws IOException {
        byte[] log = Files.readAllBytes(CorpusStderrTest.corpus(name));
        String prefix = new StderrReaderProbe(log).prefix();
        assertSameAsOneThread(log, prefix, LineReader.DEFAULT_MAX_LINE, 61, 500, 4096);
    }

    @Test
    void interleavedProcessesContinuationsNulsAndOverlongLines() throws IOException {
        // without the logging collector, processes write concurrently: a DETAIL or STATEMENT line
        // can come after another process's line, and a block boundary can fall anywhere
        String p = "2024-01-01 10:00:00.%03d UTC [%d] ";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            int a = 10 + i % 3;
            int b = 20 + i % 5;
            sb.append(String.format(p, i % 1000, a)).append("LOG:  duration: 1.5 ms  execute S_1: SELECT * FROM t WHERE id = $1\n");
            sb.append(String.format(p, i % 1000, b)).append("ERROR:  relation \"x").append(i).append("\" does not exist\n");
            sb.append(String.format(p, i % 1000, a)).append("DETAIL:  Parameters: $1 = '").append(i).append("'\n");
            sb.append(String.format(p, i % 1000, b)).append("STATEMENT:  SELECT *\n\tFROM x").append(i).append("\n\tWHERE y = 'é'\n");
            if (i % 17 == 0) {
                sb.append("\0\0\0");
                sb.append(String.format(p, i % 1000, a)).append("LOG:  checkpoint starting: time\r\n");
            }
            if (i % 29 == 0) {
                sb.append("not a log line ").append("x".repeat(300)).append('\n').append("\tits own continuation\n");
            }
            if (i % 41 == 0) {
                sb.append('\n');
            }
        }
        sb.append(String.format(p, 999, 10)).append("LOG:  duration: 2.0 ms  statement: SELECT 'no newline at the end'");
        byte[] log = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertSameAsOneThread(log, "%m [%p] ", 200, 37, 256, 1000, 8192);
    }

    @Test
    void aLineLongerThanABlockOrTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "2024-01-01 10:00:00.000 UTC [10] LOG:  duration: 1.0 ms  statement: SELECT '";
        out.writeBytes((head + "a".repeat(5000) + "'\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes((head + "b".repeat(70_000) + "'\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes((head + "c'\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes((head + "d".repeat(70_000)).getBytes(StandardCharsets.UTF_8));
        assertSameAsOneThread(out.toByteArray(), "%m [%p] ", 65_536, 100, 4096, 1 << 20);
    }

    /** The prefix the reader infers from a log's head, as the one-thread read would use. */
    private record StderrReaderProbe(byte[] log) {
        String prefix() throws IOException {
            StderrReader r = new StderrReader(null);
            r.read(new ByteArrayInputStream(log), "probe", b -> { }, new UnparsedLines());
            return r.prefix();
        }
    }
}
