package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.bench.SyntheticLog;
import dev.pgsleuth.parse.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void generateWritesTheLogTheLibraryWritesAndSaysWhatItWrote() throws IOException {
        Path file = dir.resolve("bench.csv");
        assertEquals(0, run("generate", "--format", "csvlog", "--size", "1MB", "--shapes", "500", "--seed", "3",
                "-o", file.toString()));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.CSVLOG, 1 << 20, 500, 3), expected);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
        String text = out.toString();
        assertTrue(text.contains("csvlog, " + String.format("%,d", Files.size(file)) + " bytes"), text);
        assertTrue(text.contains("MB/s"), text);
        assertTrue(text.contains("of 500 requested"), text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("execute ")), text);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Path file = dir.resolve("x.log");
        assertEquals(2, run("generate", "--format", "syslog", "-o", file.toString()));
        assertTrue(err.toString().contains("--format must be stderr, csvlog or jsonlog"), err.toString());
        assertEquals(2, run("generate", "--size", "lots", "-o", file.toString()));
        assertEquals(2, run("generate", "--shapes", "5", "-o", file.toString()));
        assertEquals(2, run("generate"), "-o is required");
        assertEquals(2, run(), "a subcommand is required");
        assertFalse(Files.exists(file));
    }

    @Test
    void sizesTakePowerOf1024Suffixes() {
        assertEquals(100L << 20, BenchCommand.parseSize("100MB"));
        assertEquals(1L << 30, BenchCommand.parseSize("1GB"));
        assertEquals(1L << 30, BenchCommand.parseSize("1g"));
        assertEquals(512L << 10, BenchCommand.parseSize("512k"));
        assertEquals(3L << 19, BenchCommand.parseSize("1.5MB"));
        assertEquals(1_000_000, BenchCommand.parseSize("1000000"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseSize("0MB"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseSize("-1"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseSize("MB"));
    }

    @Test
    void runGeneratesTheLogOnceAndPrintsARowPerFormatAndThreadCount() throws IOException {
        String[] args = {"run", "--formats", "stderr,jsonlog", "--size", "1MB", "--shapes", "300", "--threads", "1,2",
            "--warmup", "0", "--repeat", "1", "--dir", dir.toString()};
        assertEquals(0, run(args), err.toString());
        String text = out.toString();
        assertEquals(2, text.lines().filter(l -> l.startsWith("(generating ")).count(), text);
        for (String row : new String[] {"stderr 1", "stderr 2", "jsonlog 1", "jsonlog 2"}) {
            assertTrue(text.lines().anyMatch(l -> l.trim().replaceAll("\\s+", " ").startsWith(row + " ")),
                    row + " in\n" + text);
        }
        Path log = dir.resolve("synthetic-stderr-1048576-300-1.log");
        long entries = Long.parseLong(text.lines().filter(l -> l.startsWith("stderr ")).findFirst().orElseThrow()
                .trim().split("\\s+")[3].replace(",", ""));
        assertTrue(entries > 1000, text);
        String[] one = row(text, "stderr").split("\\s+");
        String[] two = text.lines().map(String::trim).filter(l -> l.startsWith("stderr ")).skip(1).findFirst()
                .orElseThrow().split("\\s+");
        // the last two columns: the analysis's speed-up, and the machine's for a plain loop
        assertEquals("1.00", one[one.length - 2], "the first thread count against itself:\n" + text);
        assertEquals("1.00", one[one.length - 1], "the machine against itself:\n" + text);
        assertTrue(Double.parseDouble(two[two.length - 2]) > 0, "a speed-up for two threads:\n" + text);
        assertTrue(Double.parseDouble(two[two.length - 1]) > 0.5, "what the machine gave two threads:\n" + text);
        long modified = Files.getLastModifiedTime(log).toMillis();

        out.getBuffer().setLength(0);
        assertEquals(0, run(args), err.toString());
        assertFalse(out.toString().contains("(generating "), "the cached logs are reused");
        assertEquals(modified, Files.getLastModifiedTime(log).toMillis());
        assertEquals(2, run("run", "--threads", "0", "--dir", dir.toString()));
        assertEquals(2, run("run", "--warmup", "soon", "--dir", dir.toString()));
    }

    @Test
    void gzipTimesTheCompressedLogAndTheDecompressorAlone() {
        assertEquals(0, run("run", "--formats", "stderr", "--size", "1MB", "--shapes", "300", "--threads", "1",
                "--warmup", "0", "--repeat", "1", "--gzip", "--dir", dir.toString()), err.toString());
        String text = out.toString();
        String plain = row(text, "stderr");
        String gz = row(text, "stderr.gz");
        assertEquals(plain.split("\\s+")[3], gz.split("\\s+")[3], "the same entries from the .gz:\n" + text);
        assertTrue(Files.isRegularFile(dir.resolve("synthetic-stderr-1048576-300-1.log.gz")));
        assertTrue(text.lines().anyMatch(l -> l.contains(".log.gz: decompressor alone ")), text);
    }

    private static String row(String text, String label) {
        return text.lines().map(String::trim).filter(l -> l.startsWith(label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(label + " row in\n" + text));
    }
}
