package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.testing.RealPostgres;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotations of files a real PostgreSQL writes, each followed by the watcher and compared with a
 * one-shot {@code analyze} of the same files: by size (the collector switching to a new file
 * every few kB), a logrotate-style rename followed by {@code pg_rotate_logfile()}, and a
 * copytruncate. Also a partial last line completed exactly once across a restart.
 */
class WatchRealRotationTest {
    private RealPostgres pg;

    @TempDir
    Path work;

    @AfterEach
    void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void rotationBySizeWhileTheWatcherReads() throws Exception {
        pg = RealPostgres.builder().logName("bysize").start();
        try (Watcher w = WatchTesting.watcher(WatchTesting.dataDirectory(pg), work.resolve("state"))) {
            WatchTesting.workload(pg, "size-a", 20);
            pg.awaitLogged();
            WatchTesting.catchUp(w, f -> f.equals(pg.jsonLog().toString()));
            // a name that changes every second, so that each rotation by size within a new second is a new file
            pg.alterSystem("log_filename", "bysize-%H%M%S.log");
            pg.alterSystem("log_rotation_size", "8kB");
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int round = 0;
            while (System.nanoTime() < until) {
                WatchTesting.workload(pg, "size-" + round++, 15);
                w.poll();
            }
            pg.alterSystem("log_rotation_size", "0");
            pg.awaitLogged();
            WatchTesting.catchUp(w, f -> f.equals(pg.jsonLog().toString()));
            w.checkpoint();
            long jsonFiles;
            try (Stream<Path> files = Files.list(pg.logDirectory())) {
                jsonFiles = files.filter(p -> p.toString().endsWith(".json")).count();
            }
            assertTrue(jsonFiles >= 4, "the server rotated too little to test anything: " + jsonFiles + " files");
            assertTrue(w.stats().rotations() >= 3, "rotations seen: " + w.stats().rotations());
            Map<String, Long> oneShot = WatchTesting.analyzeCounts(pg, work);
            assertTrue(oneShot.values().stream().mapToLong(Long::longValue).sum() > 200, oneShot.toString());
            assertEquals(oneShot, WatchTesting.counts(w.totals()));
        }
    }

    @Test
    void logrotateRenameThenReopenAndCopytruncateOfTheStderrLog() throws Exception {
        pg = RealPostgres.builder().logName("logrotate").start();
        Path log = pg.stderrLog();
        Path renamed = log.resolveSibling("logrotate.log.1");
        Path copied = log.resolveSibling("logrotate.log.2");
        try (Watcher w = WatchTesting.watcher(log, work.resolve("state"))) {
            WatchTesting.workload(pg, "lr-a", 20);
            pg.awaitLogged();
            WatchTesting.catchUp(w, f -> f.equals(log.toString()));

            // logrotate's default: rename, then the postrotate script makes the server reopen its log
            WatchTesting.workload(pg, "lr-b", 25); // written before the rename, not read yet
            pg.awaitLogged();
            Files.move(log, renamed, StandardCopyOption.ATOMIC_MOVE);
            // still goes to the renamed file, which the server has open (awaitLogged looks at the old name)
            WatchTesting.workload(pg, "lr-c", 5);
            try (Connection c = pg.connect("logrotate-postrotate"); Statement s = c.createStatement()) {
                s.execute("SELECT pg_rotate_logfile()");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(log)) {
                assertTrue(System.nanoTime() < deadline, "the server did not reopen " + log);
                Thread.sleep(10);
            }
            WatchTesting.workload(pg, "lr-d", 30);
            pg.awaitLogged();
            WatchTesting.catchUp(w, f -> f.equals(log.toString()));
            w.checkpoint();
            assertEquals(1, w.stats().rotations());
            assertEquals(WatchTesting.analyzeCounts(work, List.of(renamed, log)), WatchTesting.counts(w.totals()));

            // copytruncate: copy, then truncate in place while the server keeps appending to it
            // (statements written between the two are lost to any reader of the live file, so the
            // server is quiet and read up to its end at that moment)
            Files.copy(log, copied);
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            WatchTesting.workload(pg, "lr-e", 35);
            pg.awaitLogged();
            WatchTesting.catchUp(w, f -> f.equals(log.toString()));
            w.checkpoint();
            assertEquals(1, w.stats().truncations());
            Map<String, Long> oneShot = WatchTesting.analyzeCounts(work, List.of(renamed, copied, log));
            assertEquals(oneShot, WatchTesting.counts(w.totals()));
            assertTrue(oneShot.values().stream().mapToLong(Long::longValue).sum() >= 3 * 115, oneShot.toString());
        }
    }

    @Test
    void aPartialLastLineIsCompletedExactlyOnceAcrossARestart() throws Exception {
        pg = RealPostgres.builder().logName("partial").start();
        WatchTesting.workload(pg, "partial", 30);
        pg.awaitLogged();
        byte[] all = Files.readAllBytes(pg.stderrLog());
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int statement = text.lastIndexOf("SELECT v FROM watch_t WHERE id");
        assertTrue(statement > 0, "no statement to cut");
        int cut = statement + 12; // in the middle of the statement's text
        int lineStart = text.lastIndexOf('\n', cut) + 1;
        Path file = work.resolve("postgresql.log");
        Files.write(file, Arrays.copyOf(all, cut));
        Path complete = work.resolve("complete-lines.log");
        Files.write(complete, Arrays.copyOf(all, lineStart));
        Path state = work.resolve("state");

        try (Watcher w = WatchTesting.watcher(file, state)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            do {
                w.poll();
            } while (w.health().lagBytes() != cut - lineStart && System.nanoTime() < deadline);
            assertEquals(cut - lineStart, w.health().lagBytes(), "the partial line is held back, not read");
            w.checkpoint();
            // the daemon stops here, its state saved while the file ends mid-line
            assertEquals(WatchTesting.analyzeCounts(work, List.of(complete)), WatchTesting.counts(w.totals()));
        }
        Files.write(file, Arrays.copyOfRange(all, cut, all.length), StandardOpenOption.APPEND);
        try (Watcher again = WatchTesting.watcher(file, state)) {
            WatchTesting.catchUp(again, f -> f.equals(file.toString()));
            again.checkpoint();
            Map<String, Long> oneShot = WatchTesting.analyzeCounts(work, List.of(file));
            assertEquals(oneShot, WatchTesting.counts(again.totals()));
            assertTrue(oneShot.values().stream().mapToLong(Long::longValue).sum() >= 90, oneShot.toString());
        }
    }
}
