package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/pgsleuth}, run with a stand-in {@code java} that prints the options it was given:
 * which collector and which JIT it chooses for which command and how much log.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {
    private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";
    private static final String PARALLEL_GC = "-XX:+UseParallelGC";
    private static final String CONDITIONAL_CARD_MARKS = "-XX:+UseCondCardMark";

    @TempDir
    Path dir;

    @Test
    void smallLogsGetTheQuickCompilerAloneLargeOrUnknownOnesBoth() throws IOException, InterruptedException {
        Path small = Files.writeString(dir.resolve("small.log"), "2026-03-02 08:00:00 UTC [1] LOG:  x\n");
        Path large = sparse(dir.resolve("large.log"), 300L << 20);
        Path compressed = sparse(dir.resolve("day.log.gz"), 40L << 20); // as much log as 320 MB
        Path report = Files.writeString(dir.resolve("report.json"), "{}");

        assertTrue(options("analyze", small.toString()).contains(QUICK_JIT));
        assertTrue(options("analyze", "--format", "json", "-o", report.toString(), small.toString(), small.toString())
                .contains(QUICK_JIT));
        assertTrue(options("analyze", "-o", "/dev/null", small.toString()).contains(QUICK_JIT),
                "the report's file is no log, even a device");
        assertTrue(options("analyze", "--output", "/dev/stdout", small.toString()).contains(QUICK_JIT));
        assertFalse(options("analyze", "--threads", "1", large.toString()).contains(QUICK_JIT));
        assertFalse(options("analyze", "--threads=1", small.toString(), compressed.toString()).contains(QUICK_JIT));
        assertFalse(options("analyze", "-").contains(QUICK_JIT), "standard input may be any size");
        assertFalse(options("analyze", "/dev/null").contains(QUICK_JIT), "so may a pipe or device");
        assertFalse(options("analyze", dir.toString()).contains(QUICK_JIT), "a directory may hold any size");
        assertFalse(options("analyze", dir.resolve("*.log").toString()).contains(QUICK_JIT), "a glob too");
        assertFalse(options("bench", "run").contains(QUICK_JIT), "the benchmark measures warm code");
        assertTrue(options("analyze", small.toString()).containsAll(List.of(PARALLEL_GC, CONDITIONAL_CARD_MARKS)));
        assertTrue(options("bench", "run").containsAll(List.of(PARALLEL_GC, CONDITIONAL_CARD_MARKS)));
        List<String> watch = options("watch", small.toString());
        assertFalse(watch.contains(QUICK_JIT));
        assertFalse(watch.contains(PARALLEL_GC), "the daemon keeps G1");
        assertFalse(watch.contains(CONDITIONAL_CARD_MARKS), "G1 looks at the card before marking it anyway");
        assertEquals(List.of("analyze", small.toString()),
                tail(options("analyze", small.toString()), 2), "the arguments reach pgsleuth unchanged");
    }

    @Test
    void whenTheThreadsTakeEveryCoreC2PaysBackOnlyOnVeryLargeLogs() throws IOException, InterruptedException {
        Path large = sparse(dir.resolve("large.log"), 300L << 20);
        Path huge = sparse(dir.resolve("huge.log"), 1600L << 20);
        int cores = cores();

        assertEquals(cores <= 2, options("analyze", "--threads", "2", large.toString()).contains(QUICK_JIT),
                "two threads on " + cores + " cores");
        assertEquals(cores <= 2, options("analyze", "--threads=2", large.toString()).contains(QUICK_JIT));
        assertEquals(cores == 2, options("analyze", large.toString()).contains(QUICK_JIT),
                "by default, as many threads as cores");
        assertFalse(options("analyze", "--threads", "2", huge.toString()).contains(QUICK_JIT));
        assertFalse(options("analyze", "--threads", "1", large.toString()).contains(QUICK_JIT),
                "one thread leaves a core to the compiler");
    }

    /** The cores as the launcher counts them. */
    private static int cores() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nproc").start();
        int n = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertEquals(0, p.waitFor());
        return n;
    }

    /** The JVM options and arguments the launcher passes to {@code java}. */
    private List<String> options(String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        if (!Files.exists(java)) {
            Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of("sh", Path.of("bin/pgsleuth").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        // a jar in a read-only place would do too: no class-data archive is written for a stand-in
        pb.environment().put("PGSLEUTH_JAR", dir.resolve("pgsleuth.jar").toString());
        pb.environment().remove("PGSLEUTH_JAVA_OPTS");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    private static Path sparse(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }

    private static List<String> tail(List<String> list, int n) {
        return list.subList(list.size() - n, list.size());
    }
}
