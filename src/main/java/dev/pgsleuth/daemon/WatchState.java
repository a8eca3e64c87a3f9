package dev.pgsleuth.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.source.FollowPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code watch --state DIR} keeps between runs, in {@code DIR/watch-state.json}: the
 * position (file identity and the offset of the last line whose entries are in the statistics)
 * and the per-shape totals up to that position. Both are written together in one file,
 * atomically (temporary file, fsync, rename, fsync of the directory), so after a crash at any
 * moment the saved totals describe exactly the bytes before the saved offset: a restart reads
 * on from there and nothing is counted twice or lost.
 *
 * @param version  format version, {@value #VERSION}
 * @param position where reading stopped, or {@code null} when nothing was read yet
 * @param shapes   executions and time per shape fingerprint, since the first run
 * @param entries  log entries read since the first run
 */
public record WatchState(int version, FollowPosition position, Map<String, ShapeTotal> shapes, long entries) {
    /** The current format version. */
    public static final int VERSION = 1;
    static final String FILE = "watch-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Totals of one shape.
     *
     * @param query       its normalized text
     * @param count       executions
     * @param totalMicros summed duration
     */
    public record ShapeTotal(String query, long count, long totalMicros) {
    }

    /** The state of a first run. */
    public static WatchState empty() {
        return new WatchState(VERSION, null, new TreeMap<>(), 0);
    }

    /** The saved state in {@code dir}, or {@link #empty()} when there is none. */
    public static WatchState load(Path dir) throws IOException {
        try {
            WatchState s = JSON.readValue(Files.readAllBytes(dir.resolve(FILE)), WatchState.class);
            if (s.version() != VERSION) {
                throw new IOException("unknown state version " + s.version() + " in " + dir.resolve(FILE));
            }
            return new WatchState(VERSION, s.position(), new TreeMap<>(s.shapes()), s.entries());
        } catch (NoSuchFileException e) {
            return empty();
        }
    }

    /** Writes the state to {@code dir} atomically and durably. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        byte[] bytes = JSON.writeValueAsBytes(this);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the state directory " + dir + " does not support atomic renames", e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself survives a power loss
        } catch (IOException ignored) {
            // not every file system lets a directory be opened; the rename is still atomic
        }
    }
}
