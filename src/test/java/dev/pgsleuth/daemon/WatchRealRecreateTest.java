package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.testing.RealPostgres;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More changes to files a real PostgreSQL writes, followed by the watcher and compared with a
 * one-shot {@code analyze}: the stderr log deleted and recreated under the same name by
 * {@code pg_rotate_logfile()}, a touch that writes nothing, and a server log line that reaches
 * the followed file in two writes.
 */
class WatchRealRecreateTest {
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
    void stderrLogDeletedWhileQuietAndRecreatedByPgRotateLogfile() throws Exception {
        pg = RealPostgres.builder().logName("recreate").start();
        Path log = pg.stderrLog();
        Path deletedCopy = work.resolve("deleted-inode.log");
        try (Watcher w = WatchTesting.watcher(log, work.resolve("state"))) {
            WatchTesting.workload(pg, "rc-a", 20);
            pg.awaitLogged();
            WatchTesting.catchUp(w, f -> f.equals(log.toString()));

            WatchTesting.workload(pg, "rc-b", 25); // written before the delete, not read yet
            pg.awaitLogged();
            // a handle of our own keeps the deleted file readable, so that the one-shot analyze
            // sees all it got, including the lines of the connection that asks for the rotation
            try (FileChannel old = FileChannel.open(log, StandardOpenOption.READ)) {
                Files.delete(log);
                try (Connection c = pg.connect("recreate-rotate"); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_rotate_logfile()");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Files.exists(log)) {
                    assertTrue(System.nanoTime() < deadline, "the server did not recreate " + log);
                    w.poll();
                }
                WatchTesting.workload(pg, "rc-c", 30);
                pg.awaitLogged(); // the marker is in the new file, so the old one is complete
                ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(old.size()));
                while (all.hasRemaining() && old.read(all, all.position()) > 0) {
                    // positional reads until the buffer is full
                }
                Files.write(deletedCopy, Arrays.copyOf(all.array(), all.position()));
            }
            WatchTesting.catchUp(w, f -> f.equals(log.toString()));
            w.checkpoint();
            assertEquals(1, w.stats().rotations());
            assertEquals(0, w.stats().truncations());
            Map<String, Long> oneShot = WatchTesting.analyzeCounts(work, List.of(deletedCopy, log));
            assertTrue(WatchTesting.sum(oneShot) >= 3 * 75, oneShot.toString());
            assertEquals(oneShot, WatchTesting.counts(w.totals()));
            // the new file alone holds the third workload: the watcher did switch to it
            assertTrue(WatchTesting.sum(WatchTesting.analyzeCounts(work, List.of(log))) >= 3 * 30);
        }
    }

    @Test
    void aTouchWithoutNewDataReplaysNothing() throws Exception {
        pg = RealPostgres.builder().logName("touch").start();
        Path log = pg.stderrLog();
        try (Watcher onFile = WatchTesting.watcher(log, work.resolve("state-file"));
             Watcher onDirectory = WatchTesting.watcher(WatchTesting.dataDirectory(pg), work.resolve("state-dir"))) {
            WatchTesting.workload(pg, "touch", 30);
            pg.awaitLogged();
            WatchTesting.catchUp(onFile, f -> f.equals(log.toString()));
            WatchTesting.catchUp(onDirectory, f -> f.equals(pg.jsonLog().toString()));
            onFile.checkpoint();
            onDirectory.checkpoint();
            Map<String, Long> fileBefore = WatchTesting.counts(onFile.totals());
            Map<String, Long> dirBefore = WatchTesting.counts(onDirectory.totals());
            long fileEntries = onFile.entriesTotal();
            long dirEntries = onDirectory.entriesTotal();
            assertTrue(WatchTesting.sum(fileBefore) >= 90, fileBefore.toString());
            assertEquals(WatchTesting.analyzeCounts(work, List.of(log)), fileBefore);
            assertEquals(WatchTesting.analyzeCounts(work, List.of(pg.jsonLog())), dirBefore);

            // the server is quiet: only the time stamps move, forward and then backward
            FileTime later = FileTime.from(Instant.now().plus(Duration.ofHours(1)));
            FileTime earlier = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
            for (FileTime t : List.of(later, earlier)) {
                for (Path p : List.of(log, pg.csvLog(), pg.jsonLog())) {
                    Files.setLastModifiedTime(p, t);
                }
                assertEquals(t, Files.getLastModifiedTime(log));
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < until) {
                    onFile.poll();
                    onDirectory.poll();
                }
            }
            onFile.checkpoint();
            onDirectory.checkpoint();
            for (Watcher w : List.of(onFile, onDirectory)) {
                assertEquals(0, w.stats().rotations());
                assertEquals(0, w.stats().truncations());
                assertEquals(0, w.health().lagBytes());
            }
            assertEquals(fileEntries, onFile.entriesTotal());
            assertEquals(dirEntries, onDirectory.entriesTotal());
            assertEquals(fileBefore, WatchTesting.counts(onFile.totals()));
            assertEquals(dirBefore, WatchTesting.counts(onDirectory.totals()));
        }
    }

    @Test
    void aServerLineSplitAcrossTwoWritesIsCountedOnceAfterItsNewline() throws Exception {
        pg = RealPostgres.builder().logName("split").start();
        WatchTesting.workload(pg, "split", 20);
        pg.awaitLogged();
        byte[] all = Files.readAllBytes(pg.stderrLog());
        String text = new String(all, StandardCharsets.ISO_8859_1);
        // a one-line entry of the server's own (no parameters, so no DETAIL line follows)
        int statement = text.lastIndexOf("SELECT count(*) FROM watch_t WHERE v <> 'x");
        assertTrue(statement > 0, "no statement to split");
        int lineStart = text.lastIndexOf('\n', statement) + 1;
        int lineEnd = text.indexOf('\n', statement) + 1;
        assertTrue(lineEnd > statement, "the statement's line is not complete");
        int cut = statement + 20; // in the middle of the statement's text

        Path file = work.resolve("followed.log");
        Files.write(file, Arrays.copyOf(all, lineStart));
        try (Watcher w = WatchTesting.watcher(file, work.resolve("state"))) {
            WatchTesting.catchUp(w, f -> f.equals(file.toString()));
            w.checkpoint();
            Map<String, Long> before = WatchTesting.counts(w.totals());
            assertEquals(WatchTesting.analyzeCounts(work, List.of(file)), before);
            assertTrue(WatchTesting.sum(before) >= 50, before.toString());

            Files.write(file, Arrays.copyOfRange(all, lineStart, cut), StandardOpenOption.APPEND);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            do {
                w.poll();
            } while (w.health().lagBytes() != cut - lineStart && System.nanoTime() < deadline);
            for (int i = 0; i < 20; i++) {
                w.poll();
            }
            assertEquals(cut - lineStart, w.health().lagBytes(), "the first half is held back, not read");
            w.checkpoint();
            assertEquals(before, WatchTesting.counts(w.totals()), "nothing counted before the newline");

            Files.write(file, Arrays.copyOfRange(all, cut, lineEnd), StandardOpenOption.APPEND);
            WatchTesting.catchUp(w, f -> f.equals(file.toString()));
            w.checkpoint();
            Map<String, Long> after = WatchTesting.counts(w.totals());
            assertEquals(WatchTesting.analyzeCounts(work, List.of(file)), after);
            assertEquals(WatchTesting.sum(before) + 1, WatchTesting.sum(after), "the split entry is counted exactly once");
            Map<String, Long> grown = new TreeMap<>();
            after.forEach((fp, n) -> {
                if (n != before.getOrDefault(fp, 0L)) {
                    grown.put(fp, n - before.getOrDefault(fp, 0L));
                }
            });
            assertEquals(1, grown.size(), grown.toString());
            assertEquals(1L, grown.values().iterator().next());
            assertTrue(w.totals().get(grown.keySet().iterator().next()).query().contains("count(*)"),
                    "the entry that grew is the split one");

            for (int i = 0; i < 20; i++) {
                w.poll();
            }
            w.checkpoint();
            assertEquals(after, WatchTesting.counts(w.totals()), "polling again counts it no second time");
        }
    }
}
