package dev.pgsleuth.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;

/**
 * What a follower follows: one path, or the current log of a directory. For a directory the
 * server's own {@code current_logfiles} (in the directory or its parent, the data directory of
 * the default {@code log_directory = 'log'}) names the file; without it the newest log file is
 * taken. Of the destinations listed, jsonlog is preferred, then csvlog, then stderr: the more
 * structured the format, the less a reader has to guess.
 */
abstract class FollowTarget {
    private static final List<String> DESTINATIONS = List.of("jsonlog", "csvlog", "stderr");
    private static final List<String> EXTENSIONS = List.of(".json", ".csv", ".log");

    /** The file to read now, or {@code null} when there is none yet. */
    abstract Path current();

    /**
     * The file to read after {@code done} (last modified at {@code doneTime}) on the way to
     * {@code current}: {@code current} itself, unless the server rotated more than once since
     * {@code done} was last read (a restart, a slow reader), in which case the oldest log file in
     * between, so none is skipped.
     */
    Path next(Path done, FileTime doneTime, Path current, Set<String> finishedKeys) {
        return current;
    }

    static FollowTarget of(Path target) {
        if (Files.isDirectory(target)) {
            return new Directory(target);
        }
        return new FollowTarget() {
            @Override
            Path current() {
                return target;
            }
        };
    }

    private static final class Directory extends FollowTarget {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        Path current() {
            for (Path meta : new Path[] {dir.resolve("current_logfiles"), parentMeta()}) {
                if (meta != null && Files.isRegularFile(meta)) {
                    Path named = fromCurrentLogfiles(meta);
                    if (named != null) {
                        return named;
                    }
                }
            }
            return newest();
        }

        @Override
        Path next(Path done, FileTime doneTime, Path current, Set<String> finishedKeys) {
            if (doneTime == null) {
                return current;
            }
            String name = current.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot);
            Path best = null;
            FileTime bestTime = null;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(current.toAbsolutePath().getParent(), "*" + ext)) {
                for (Path p : files) {
                    if (p.equals(current) || p.equals(done) || !Files.isRegularFile(p)) {
                        continue;
                    }
                    FileTime t = Files.getLastModifiedTime(p);
                    String k = FileIdentity.keyOf(p);
                    if (t.compareTo(doneTime) < 0 || k == null || finishedKeys.contains(k)) {
                        continue;
                    }
                    if (best == null || t.compareTo(bestTime) < 0
                            || (t.equals(bestTime) && p.toString().compareTo(best.toString()) < 0)) {
                        best = p;
                        bestTime = t;
                    }
                }
            } catch (IOException e) {
                return current;
            }
            return best == null ? current : best;
        }

        private Path parentMeta() {
            Path parent = dir.toAbsolutePath().getParent();
            return parent == null ? null : parent.resolve("current_logfiles");
        }

        /** Lines {@code <destination> <path>}; a relative path is relative to the data directory. */
        private static Path fromCurrentLogfiles(Path meta) {
            List<String> lines;
            try {
                lines = Files.readAllLines(meta, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null; // being rewritten by the server: the next poll reads it
            }
            for (String destination : DESTINATIONS) {
                for (String line : lines) {
                    int sp = line.indexOf(' ');
                    if (sp > 0 && line.substring(0, sp).equals(destination)) {
                        Path p = Path.of(line.substring(sp + 1).trim());
                        return p.isAbsolute() ? p : meta.getParent().resolve(p);
                    }
                }
            }
            return null;
        }

        private Path newest() {
            for (String ext : EXTENSIONS) {
                Path best = null;
                FileTime bestTime = null;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + ext)) {
                    for (Path p : files) {
                        if (!Files.isRegularFile(p)) {
                            continue;
                        }
                        FileTime t = Files.getLastModifiedTime(p);
                        if (best == null || t.compareTo(bestTime) > 0
                                || (t.equals(bestTime) && p.getFileName().toString()
                                        .compareTo(best.getFileName().toString()) > 0)) {
                            best = p;
                            bestTime = t;
                        }
                    }
                } catch (IOException e) {
                    return null;
                }
                if (best != null) {
                    return best;
                }
            }
            return null;
        }
    }
}
