package dev.pgsleuth.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Follows one log file across rotations, handing on only complete lines.
 *
 * <p>Written directly on {@link FileChannel} rather than around Commons IO's {@code Tailer}:
 * Tailer has no start offset and no position getter (so no resume after a restart), sees a
 * rotation only when the file shrinks (a renamed-and-recreated file that is already longer than
 * the old offset is read from the wrong place), replays the whole file on a touch, drops the old
 * file's unterminated tail on rotation and dies silently when its listener throws. Wrapping it
 * would mean re-implementing all of that around it; the follower itself is a positional read
 * loop. See {@code shared/reference/reliability.md}, section 2.
 *
 * <p>What it handles, each checked on every {@link #poll}:
 * <ul>
 *   <li>rename and create (whatever the new file's size), delete and recreate, and a directory
 *       whose {@code current_logfiles} (or newest log file) changes: the old file is read to its
 *       end through the open handle, unterminated last line included, then the new one from its
 *       start;</li>
 *   <li>copytruncate and a reused name truncated: same file key, but shorter than the offset or
 *       starting with other bytes ({@link FileIdentity}): read again from the start;</li>
 *   <li>a partial last line: held (not consumed) until its newline is written;</li>
 *   <li>a touch without new data: nothing happens (time stamps are never looked at);</li>
 *   <li>a line longer than the cap: cut at the cap, the rest of it skipped, counted.</li>
 * </ul>
 * Not thread-safe: one thread polls.
 */
public final class LogFollower implements Closeable {

    /** One run of complete lines, handed to a {@link Sink}. */
    public interface Chunk {
        /** The file's path when it was opened. */
        Path path();

        /** The file's identity. */
        FileIdentity file();

        /** Offset of the first byte of the run in the file. */
        long start();

        /** Offset just after its last byte. */
        long end();

        /** The bytes of the run, long lines cut; read before {@link Sink#accept} returns. */
        InputStream bytes();

        /** Up to {@code max} first bytes of the file (for format detection). */
        byte[] head(int max) throws IOException;
    }

    /** Receives the runs of complete lines; the position advances once it returns. */
    public interface Sink {
        void accept(Chunk chunk) throws IOException;
    }

    private final FollowTarget target;
    private final int maxLineBytes;
    private Path path;
    private FileChannel channel;
    private String key;
    private FileIdentity identity;
    private long offset;
    /** Bytes of the file searched for newlines so far. */
    private long scanned;
    /** Offset just after the last newline found. */
    private long lineEnd;
    /** The open file is no longer at its path (found under another name at start-up). */
    private boolean detached;
    private long rotations;
    private long truncations;
    private long cappedLines;
    private FollowPosition pendingStart;
    /**
     * Keys of files already read to their end: a directory's newest file can flip back to an old
     * one (its time stamp touched), which must not be read a second time.
     */
    private final java.util.LinkedHashSet<String> finished = new java.util.LinkedHashSet<>();

    /**
     * A follower of {@code target} (a file, or a log directory).
     *
     * @param start        where a previous run stopped, or {@code null} to start at the beginning
     *                     of the current file
     * @param maxLineBytes longest line handed on; longer lines are cut there
     */
    public LogFollower(Path target, FollowPosition start, int maxLineBytes) {
        if (maxLineBytes < 2) {
            throw new IllegalArgumentException("maxLineBytes must be at least 2");
        }
        this.target = FollowTarget.of(target);
        this.maxLineBytes = maxLineBytes;
        this.pendingStart = start;
    }

    /** The position just after the last line handed on, or {@code null} before any file was opened. */
    public FollowPosition position() {
        return channel == null ? null : new FollowPosition(path.toString(), identity, offset);
    }

    /** The file followed now, or {@code null}. */
    public Path currentFile() {
        return path;
    }

    /** Times the followed file was replaced by another (rotation, recreation, new current log). */
    public long rotations() {
        return rotations;
    }

    /** Times the followed file was truncated (copytruncate, reuse) and read again from its start. */
    public long truncations() {
        return truncations;
    }

    /** Lines cut at the maximum line length. */
    public long cappedLines() {
        return cappedLines;
    }

    /** Bytes written to the file but not yet handed on (the lag), or 0 when none is open. */
    public long pendingBytes() {
        try {
            return channel == null ? 0 : Math.max(0, channel.size() - offset);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Opens the file to follow, when none is open yet, without reading from it, so that the
     * starting position can be saved before anything is consumed.
     *
     * @return true when a file is open
     */
    public boolean openIfNeeded() throws IOException {
        return channel != null || open();
    }

    /**
     * Hands every complete line written since the last call to {@code sink}, following rotations.
     *
     * @return the bytes handed on
     * @throws IOException when a file cannot be read (the position stays where it was)
     */
    public long poll(Sink sink) throws IOException {
        if (channel == null && !open()) {
            return 0;
        }
        long handed = 0;
        if (channel.size() < offset || !identity.headMatches(channel)) {
            truncations++;
            reset();
        }
        handed += drain(sink, false);
        Path now = target.current();
        if (now == null) {
            return handed;
        }
        String nowKey = FileIdentity.keyOf(now);
        if (nowKey == null) {
            return handed; // deleted: keep reading the open file until a new one appears
        }
        if (nowKey.equals(key)) {
            // the same file, perhaps under a new name: nothing to switch
            path = now;
            detached = false;
        } else if (!finished.contains(nowKey)) {
            handed += drain(sink, true);
            finished.add(key);
            if (finished.size() > 64) {
                finished.remove(finished.iterator().next());
            }
            FileTime doneTime = lastModified(path);
            close();
            rotations++;
            Path next = target.next(path, doneTime, now, finished);
            String nextKey = next.equals(now) ? nowKey : FileIdentity.keyOf(next);
            if (nextKey != null && openAt(next, nextKey, 0)) {
                detached = !next.equals(now);
                handed += drain(sink, false);
            }
        }
        return handed;
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null; // renamed or deleted: no file in between can be told apart
        }
    }

    private boolean open() throws IOException {
        FollowPosition start = pendingStart;
        pendingStart = null;
        if (start != null && resume(start)) {
            return true;
        }
        Path now = target.current();
        if (now == null) {
            return false;
        }
        String nowKey = FileIdentity.keyOf(now);
        return nowKey != null && openAt(now, nowKey, 0);
    }

    /**
     * Reopens the file of a saved position: at its path if it is still there, else under another
     * name in the same directory (rotated while we were stopped). A file that was truncated
     * meanwhile, or is gone, is not resumed.
     */
    private boolean resume(FollowPosition start) throws IOException {
        Path saved = Path.of(start.path());
        if (tryResume(saved, start)) {
            detached = !saved.equals(target.current());
            return true;
        }
        Path dir = saved.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (!p.equals(saved) && Files.isRegularFile(p) && tryResume(p, start)) {
                    detached = true;
                    return true;
                }
            }
        }
        return false;
    }

    private boolean tryResume(Path p, FollowPosition start) throws IOException {
        String k = FileIdentity.keyOf(p);
        if (k == null || !k.equals(start.file().key())) {
            return false;
        }
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        try {
            if (ch.size() >= start.offset() && start.file().headMatches(ch)) {
                adopt(p, ch, k, start.offset());
                return true;
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        ch.close();
        return false;
    }

    private boolean openAt(Path p, String k, long at) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        adopt(p, ch, k, at);
        detached = false;
        return true;
    }

    private void adopt(Path p, FileChannel ch, String k, long at) throws IOException {
        path = p;
        channel = ch;
        key = k;
        identity = FileIdentity.of(k, ch);
        offset = at;
        scanned = at;
        lineEnd = at;
    }

    private void reset() throws IOException {
        offset = 0;
        scanned = 0;
        lineEnd = 0;
        identity = FileIdentity.of(key, channel);
    }

    /** Hands on the complete lines after the offset; with {@code all}, the unterminated tail too. */
    private long drain(Sink sink, boolean all) throws IOException {
        long size = channel.size();
        if (size > scanned) {
            long last = lastNewline(Math.max(scanned, offset), size);
            if (last >= 0) {
                lineEnd = last + 1;
            }
            scanned = size;
        }
        long end = all ? size : lineEnd;
        if (end <= offset) {
            return 0;
        }
        if (identity.headLength() < FileIdentity.HEAD_BYTES && size > identity.headLength()) {
            identity = FileIdentity.of(key, channel);
        }
        long start = offset;
        RangeStream in = new RangeStream(channel, start, end, maxLineBytes);
        sink.accept(new FileChunk(path, identity, start, end, in, channel));
        cappedLines += in.capped;
        offset = end;
        if (lineEnd < offset) {
            lineEnd = offset;
        }
        return end - start;
    }

    /** Offset of the last newline in {@code [from, to)}, or -1. */
    private long lastNewline(long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long hi = to;
        while (hi > from) {
            long lo = Math.max(from, hi - buf.capacity());
            buf.clear().limit((int) (hi - lo));
            long pos = lo;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return lo + i;
                }
            }
            hi = lo;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private record FileChunk(Path path, FileIdentity file, long start, long end, InputStream bytes,
                             FileChannel channel) implements Chunk {
        @Override
        public byte[] head(int max) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(max, Math.max(0, channel.size())));
            long pos = 0;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    /**
     * The bytes {@code [start, end)} of a channel, read with positional reads (the channel's own
     * position is never used), lines longer than the cap cut: the rest of such a line is skipped
     * up to its newline.
     */
    static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private final int maxLine;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private long pos;
        private int lineLength;
        private boolean skipping;
        long capped;

        RangeStream(FileChannel channel, long start, long end, int maxLine) {
            this.channel = Objects.requireNonNull(channel);
            this.pos = start;
            this.end = end;
            this.maxLine = maxLine;
            buf.limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = 0;
            // a line keeps at most maxLine - 1 bytes: the byte past them and the rest of its line
            // are dropped; spans are copied whole, as this runs over every byte of a followed log
            while (n < len) {
                if (!buf.hasRemaining() && !fill()) {
                    break;
                }
                byte[] a = buf.array();
                int p = buf.position();
                int limit = buf.limit();
                if (skipping) {
                    int nl = indexOfNewline(a, p, limit);
                    if (nl < 0) {
                        buf.position(limit);
                        continue;
                    }
                    // the cut line still ends with its newline, so the entry after it is intact
                    skipping = false;
                    lineLength = 0;
                    p = nl;
                }
                int scanEnd = Math.min(limit, p + (len - n));
                int nl = indexOfNewline(a, p, scanEnd);
                int textEnd = nl >= 0 ? nl : scanEnd;
                int take = Math.min(textEnd - p, maxLine - 1 - lineLength);
                System.arraycopy(a, p, b, off + n, take);
                n += take;
                p += take;
                lineLength += take;
                if (p < textEnd) {
                    skipping = true;
                    capped++;
                    p++;
                } else if (p == nl) {
                    b[off + n++] = '\n';
                    p++;
                    lineLength = 0;
                }
                buf.position(p);
            }
            return n == 0 && len > 0 ? -1 : n;
        }

        private static int indexOfNewline(byte[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                if (a[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private boolean fill() throws IOException {
            if (pos >= end) {
                return false;
            }
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int r = channel.read(buf, pos);
            if (r <= 0) {
                buf.limit(0);
                return false;
            }
            pos += r;
            buf.flip();
            return true;
        }
    }
}
