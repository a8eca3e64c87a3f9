package dev.pgsleuth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower on real files, each rotation case done the way logrotate or an operator does it. */
class LogFollowerTest {
    @TempDir
    Path dir;

    /** Collects the lines handed on, as text. */
    private static final class Lines implements LogFollower.Sink {
        final List<String> lines = new ArrayList<>();
        final StringBuilder pending = new StringBuilder();

        @Override
        public void accept(LogFollower.Chunk chunk) throws IOException {
            String text = new String(chunk.bytes().readAllBytes(), StandardCharsets.UTF_8);
            for (String l : text.split("\n", -1)) {
                lines.add(l);
            }
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
        }
    }

    private static void append(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String lines(String tag, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(tag).append(' ').append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void partialLineIsHeldUntilItsNewline() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, "one\ntw");
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            assertEquals(List.of("one"), out.lines);
            assertEquals(4, f.position().offset());
            append(log, "o\nthree");
            f.poll(out);
            assertEquals(List.of("one", "two"), out.lines);
        }
    }

    @Test
    void touchWithoutNewDataReplaysNothing() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("x", 3));
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            Files.setLastModifiedTime(log, FileTime.from(Instant.now().plusSeconds(60)));
            assertEquals(0, f.poll(out));
            assertEquals(3, out.lines.size());
        }
    }

    @Test
    void renameAndCreateLargerThanTheOldOffsetReadsBothWhole() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("old", 2));
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            append(log, "old late\n");
            Files.move(log, dir.resolve("a.log.1"));
            append(log, lines("new", 50)); // far longer than the old offset
            f.poll(out);
            assertEquals(2 + 1 + 50, out.lines.size(), out.lines.toString());
            assertEquals("old late", out.lines.get(2));
            assertEquals("new 0", out.lines.get(3));
            assertEquals(1, f.rotations());
        }
    }

    @Test
    void copytruncateStartsAgainAtZero() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("old", 5));
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            Files.copy(log, dir.resolve("a.log.1"));
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, "new 0\n");
            f.poll(out);
            assertEquals(6, out.lines.size());
            assertEquals("new 0", out.lines.get(5));
            assertEquals(1, f.truncations());
        }
    }

    @Test
    void reusedNameTruncatedAndRegrownPastTheOffsetIsDetectedByItsFirstBytes() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("old", 2));
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            // same inode, new content already longer than what was read
            Files.writeString(log, lines("new", 40), StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            f.poll(out);
            assertEquals(42, out.lines.size());
            assertEquals("new 0", out.lines.get(2));
        }
    }

    @Test
    void deleteAndRecreate() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("old", 2));
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            Files.delete(log);
            assertEquals(0, f.poll(out));
            append(log, "new 0\n");
            f.poll(out);
            assertEquals(List.of("old 0", "old 1", "new 0"), out.lines);
        }
    }

    @Test
    void oldFilesUnterminatedTailIsKeptOnRotation() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, "a\nb");
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            Files.move(log, dir.resolve("a.log.1"));
            append(log, "c\n");
            f.poll(out);
            assertEquals(List.of("a", "b", "c"), out.lines);
        }
    }

    @Test
    void longLineIsCutAndCounted() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, "before\n" + "y".repeat(30_000_000) + "\nafter\n");
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1000)) {
            f.poll(out);
            assertEquals(3, out.lines.size());
            assertEquals(999, out.lines.get(1).length());
            assertEquals("after", out.lines.get(2));
            assertEquals(1, f.cappedLines());
        }
    }

    @Test
    void resumesAtASavedPositionAndFindsTheFileUnderItsNewName() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("x", 3));
        FollowPosition saved;
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(out);
            saved = f.position();
        }
        append(log, "x 3\n");
        Files.move(log, dir.resolve("a.log.1"));
        append(log, "y 0\n");
        Lines again = new Lines();
        try (LogFollower f = new LogFollower(log, saved, 1024)) {
            f.poll(again);
            assertEquals(List.of("x 3", "y 0"), again.lines);
        }
    }

    @Test
    void resumeAfterTruncationWhileStoppedStartsAtZero() throws IOException {
        Path log = dir.resolve("a.log");
        append(log, lines("x", 30));
        FollowPosition saved;
        try (LogFollower f = new LogFollower(log, null, 1024)) {
            f.poll(new Lines());
            saved = f.position();
        }
        Files.writeString(log, "z 0\n", StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Lines again = new Lines();
        try (LogFollower f = new LogFollower(log, saved, 1024)) {
            f.poll(again);
            f.poll(again);
            assertEquals(List.of("z 0"), again.lines);
        }
    }

    @Test
    void directoryFollowsTheNewestLogAndNeverGoesBack() throws IOException {
        Path a = dir.resolve("pg-1.log");
        append(a, "a 0\n");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(100)));
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(dir, null, 1024)) {
            f.poll(out);
            Path b = dir.resolve("pg-2.log");
            append(b, "b 0\n");
            f.poll(out);
            assertEquals(List.of("a 0", "b 0"), out.lines);
            Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(100)));
            assertEquals(0, f.poll(out));
            assertNotNull(f.currentFile());
            assertTrue(f.currentFile().endsWith("pg-2.log"));
        }
    }

    @Test
    void twoRotationsWhileStoppedSkipNoFileInBetween() throws IOException {
        Path a = dir.resolve("pg-1.log");
        append(a, "a 0\n");
        FollowPosition saved;
        try (LogFollower f = new LogFollower(dir, null, 1024)) {
            f.poll(new Lines());
            saved = f.position();
        }
        append(a, "a 1\n");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(30)));
        Path b = dir.resolve("pg-2.log");
        append(b, "b 0\n");
        Files.setLastModifiedTime(b, FileTime.from(Instant.now().minusSeconds(20)));
        append(dir.resolve("pg-3.log"), "c 0\n");
        Lines out = new Lines();
        try (LogFollower f = new LogFollower(dir, saved, 1024)) {
            for (int i = 0; i < 4; i++) {
                f.poll(out);
            }
            assertEquals(List.of("a 1", "b 0", "c 0"), out.lines);
        }
    }
}
