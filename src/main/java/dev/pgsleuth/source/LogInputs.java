package dev.pgsleuth.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the command line's input arguments into the logs to read: files, globs, directories
 * (their regular files) and {@code -} for standard input.
 */
public final class LogInputs {
    /** How much of each file is searched for its first timestamp. */
    private static final int HEAD_BYTES = 64 * 1024;
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d)(?:[.,]\\d+)?(?: ?(Z|[+-]\\d\\d(?::?\\d\\d)?|[A-Za-z]{2,5}))?");

    private LogInputs() {
    }

    /**
     * Resolves the arguments. Files are ordered by time: the first timestamp found in each, else
     * the modification time, then the name, so that rotated logs are read oldest first;
     * standard input, if named, comes last.
     *
     * @throws InputException when an argument names nothing readable
     */
    public static List<LogInput> resolve(List<String> args) {
        if (args.isEmpty()) {
            throw new InputException("no input given");
        }
        Set<Path> files = new LinkedHashSet<>();
        boolean stdin = false;
        for (String arg : args) {
            if (arg.equals("-")) {
                stdin = true;
            } else if (isGlob(arg)) {
                List<Path> matched = glob(arg);
                if (matched.isEmpty()) {
                    throw new InputException("no file matches " + arg);
                }
                files.addAll(matched);
            } else {
                Path p = Path.of(arg);
                if (Files.isDirectory(p)) {
                    List<Path> inDir = directory(p);
                    if (inDir.isEmpty()) {
                        throw new InputException("no log file in directory " + arg);
                    }
                    files.addAll(inDir);
                } else {
                    files.add(checkedFile(p));
                }
            }
        }
        List<Sorted> sorted = new ArrayList<>();
        for (Path p : files) {
            LogInput in = LogInput.of(p);
            sorted.add(new Sorted(in, timeOf(in)));
        }
        sorted.sort(Comparator.comparing(Sorted::time, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(s -> s.input.name()));
        List<LogInput> result = new ArrayList<>();
        for (Sorted s : sorted) {
            result.add(s.input);
        }
        if (stdin) {
            result.add(LogInput.stdin());
        }
        return List.copyOf(result);
    }

    private record Sorted(LogInput input, Instant time) {
    }

    private static boolean isGlob(String arg) {
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    private static Path checkedFile(Path p) {
        if (!Files.exists(p)) {
            throw new InputException("cannot read " + p + ": no such file");
        }
        if (!Files.isReadable(p)) {
            throw new InputException("cannot read " + p + ": permission denied");
        }
        return p;
    }

    private static List<Path> directory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(LogInputs::checkedFile).sorted().toList();
        } catch (IOException e) {
            throw new InputException("cannot list directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> glob(String arg) {
        String[] parts = arg.split("/", -1);
        int f = 0;
        while (f < parts.length && !isGlob(parts[f])) {
            f++;
        }
        final int first = f;
        String baseText = String.join("/", java.util.Arrays.copyOfRange(parts, 0, first));
        Path base = first == 0 ? Path.of(".") : Path.of(baseText.isEmpty() ? "/" : baseText);
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, first, parts.length));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - first;
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base, depth)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(base.relativize(p)))
                    .map(p -> first == 0 ? base.relativize(p) : p)
                    .map(LogInputs::checkedFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InputException("cannot expand " + arg + ": " + e.getMessage(), e);
        }
    }

    /** The first timestamp written in the file, else its modification time. */
    static Instant timeOf(LogInput input) {
        Instant first = firstTimestamp(input);
        return first != null ? first : input.lastModified();
    }

    static Instant firstTimestamp(LogInput input) {
        byte[] head = new byte[HEAD_BYTES];
        int n = 0;
        try (InputStream in = input.open(false)) {
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException | InputException e) {
            return null;
        }
        Matcher m = TIMESTAMP.matcher(new String(head, 0, n, StandardCharsets.ISO_8859_1));
        if (!m.find()) {
            return null;
        }
        try {
            LocalDateTime t = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
            return t.toInstant(offset(m.group(3)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || !(zone.startsWith("+") || zone.startsWith("-"))) {
            return ZoneOffset.UTC;
        }
        String z = zone.replace(":", "");
        int hours = Integer.parseInt(z.substring(1, 3));
        int minutes = z.length() >= 5 ? Integer.parseInt(z.substring(3, 5)) : 0;
        int sign = z.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
