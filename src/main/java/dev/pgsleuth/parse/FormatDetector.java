package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognizes a log's format, and for stderr-like formats its {@code log_line_prefix}, from its
 * first 64 KB. JSON objects are told apart by their keys; line formats by how many lines each
 * reads, the best one winning.
 */
public final class FormatDetector {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern CSV_LINE = Pattern.compile(
            "^\"?\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?: [A-Za-z0-9+\\-:]+)?\"?,");
    private static final int MAX_LINES = 2000;

    private FormatDetector() {
    }

    /**
     * The detected format and prefix.
     *
     * @param format the format
     * @param prefix the inferred {@code log_line_prefix} of stderr-like formats, else {@code null}
     */
    public record Detection(LogFormat format, String prefix) {
    }

    /**
     * Detects the format of a log from its first bytes.
     *
     * @param head   the first bytes (64 KB are enough; the rest is not looked at)
     * @param length how many of them are valid
     * @param name   the input's name, for the message
     * @throws UnknownFormatException when no format fits
     */
    public static Detection detect(byte[] head, int length, String name) {
        return detect(Sniff.of(java.util.Arrays.copyOf(head, Math.min(length, Sniff.SIZE))), name);
    }

    static Detection detect(Sniff sniff, String name) {
        List<byte[]> lines = sampleLines(sniff);
        LogFormat json = jsonFormat(lines);
        if (json != null) {
            return json == LogFormat.CLOUDSQL ? withPrefix(json, sniff, name) : new Detection(json, null);
        }
        int csv = 0;
        int heroku = 0;
        int syslog = 0;
        HerokuReader herokuReader = new HerokuReader("");
        SyslogReader syslogReader = new SyslogReader("");
        ChunkedReader.Header h = new ChunkedReader.Header();
        for (byte[] l : lines) {
            if (CSV_LINE.matcher(new String(l, 0, Math.min(l.length, 64), StandardCharsets.ISO_8859_1)).find()) {
                csv++;
            }
            h.reset();
            if (herokuReader.header(l, 0, l.length, h)) {
                heroku++;
            }
            h.reset();
            if (syslogReader.header(l, 0, l.length, h) && h.chunk > 0) {
                syslog++;
            }
        }
        PrefixInference.Result stderr = PrefixInference.inferBytes(lines);
        int stderrScore = stderr == null ? 0 : stderr.matchedLines();
        int sampled = (int) lines.stream().filter(l -> l.length > 0 && l[0] != '\t').count();
        LogFormat best = null;
        int bestScore = 0;
        int[] scores = {csv, heroku, syslog, stderrScore};
        LogFormat[] formats = {LogFormat.CSVLOG, LogFormat.HEROKU, LogFormat.SYSLOG, LogFormat.STDERR};
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > bestScore) {
                bestScore = scores[i];
                best = formats[i];
            }
        }
        if (best == null || !(bestScore >= 10 || bestScore * 2 >= sampled)) {
            throw new UnknownFormatException("cannot recognize the log format of " + name + ": tried jsonlog, "
                    + "cnpg, cloudsql, csvlog, heroku, syslog and stderr with " + PrefixInference.candidates().size()
                    + " log_line_prefix forms; give --log-format and --prefix");
        }
        if (best == LogFormat.STDERR) {
            return new Detection(best, stderr.prefix());
        }
        if (best == LogFormat.CSVLOG) {
            return new Detection(best, null);
        }
        return withPrefix(best, sniff, name);
    }

    private static Detection withPrefix(LogFormat format, Sniff sniff, String name) {
        String prefix = inferPrefix(format, sniff);
        if (prefix == null) {
            throw new UnknownFormatException("cannot infer the log_line_prefix of " + name + " (" + format.cliName()
                    + "): none of " + PrefixInference.candidates().size() + " known forms fits; give --prefix");
        }
        return new Detection(format, prefix);
    }

    /** The prefix of a stderr-like format inferred from the sniffed text, or {@code null}. */
    static String inferPrefix(LogFormat format, Sniff sniff) {
        List<byte[]> lines = switch (format) {
            case STDERR -> sampleLines(sniff);
            case SYSLOG -> new SyslogReader("").messageLines(sniff);
            case HEROKU -> new HerokuReader("").messageLines(sniff);
            case CLOUDSQL -> CloudSqlReader.messageLines(sniff);
            default -> List.of();
        };
        PrefixInference.Result r = PrefixInference.inferBytes(lines);
        return r == null ? null : r.prefix();
    }

    /** The first lines, leading NUL bytes (left by crashes) removed, blank ones left out. */
    private static List<byte[]> sampleLines(Sniff sniff) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] l : sniff.lines()) {
            int s = 0;
            while (s < l.length && l[s] == 0) {
                s++;
            }
            if (s == l.length) {
                continue;
            }
            out.add(s == 0 ? l : java.util.Arrays.copyOfRange(l, s, l.length));
            if (out.size() >= MAX_LINES) {
                break;
            }
        }
        return out;
    }

    /** The JSON flavour of the first object lines, or {@code null} when they are no JSON objects. */
    private static LogFormat jsonFormat(List<byte[]> lines) {
        int tried = 0;
        for (byte[] l : lines) {
            int s = 0;
            while (s < l.length && (l[s] == ' ' || l[s] == '[' || l[s] == ',')) {
                s++;
            }
            if (s >= l.length || l[s] != '{') {
                return null;
            }
            Set<String> keys = new HashSet<>();
            boolean recordObject = keys(l, s, keys);
            if (keys.contains("textPayload")) {
                return LogFormat.CLOUDSQL;
            }
            if (recordObject || keys.contains("logging_pod")) {
                return LogFormat.CNPG;
            }
            if (keys.contains("error_severity") || (keys.contains("timestamp") && keys.contains("message"))) {
                return LogFormat.JSONLOG;
            }
            if (++tried >= 5) {
                return null;
            }
        }
        return null;
    }

    /** Collects the top-level keys of the object at {@code l[s]}; true when {@code record} is an object. */
    private static boolean keys(byte[] l, int s, Set<String> keys) {
        boolean record = false;
        try (JsonParser p = JSON.createParser(l, s, l.length - s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                keys.add(name);
                JsonToken v = p.nextToken();
                record |= name.equals("record") && v == JsonToken.START_OBJECT;
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // a cut or broken object still tells its keys up to the damage
        }
        return record;
    }
}
