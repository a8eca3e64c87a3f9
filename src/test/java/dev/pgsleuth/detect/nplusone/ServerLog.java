package dev.pgsleuth.detect.nplusone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.StatementPhase;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.source.LogInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only bridge from the three log files a real server wrote to {@link LogEntry}s. The stderr
 * file goes through the project's reader ({@link LogParser}); the csvlog and jsonlog readers and
 * the {@code StatementInterpreter} are not on main yet, so csv and json records are split here
 * and the statement fields of every entry are filled by {@link #interpret}. It knows only what
 * these tests make the server write: {@code duration: … ms  statement|parse|bind|execute …}
 * messages with a {@code parameters:} DETAIL. Replace it with the project's classes when they land.
 */
final class ServerLog {
    private static final Pattern MESSAGE = Pattern.compile(
            "(?s)^duration: ([0-9.]+) ms  (statement|parse|bind|execute) ?([^:]*): (.*)$");
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+) = (NULL|'([^']*(?:''[^']*)*)')");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS z");

    private ServerLog() {
    }

    /** The stderr log through the project's reader; only the statement fields are filled here. */
    static List<LogEntry> stderr(Path file, String prefix) {
        List<LogEntry> out = new ArrayList<>();
        new LogParser().read(LogInput.of(file), new ParseOptions(LogFormat.STDERR, prefix), b -> out.add(interpret(b)));
        return out;
    }

    static List<LogEntry> csvlog(Path file) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        for (List<String> r : csvRecords(Files.readString(file, StandardCharsets.UTF_8))) {
            if (r.size() < 23) {
                continue;
            }
            out.add(interpret(LogEntry.builder().timestamp(time(r.get(0))).user(r.get(1)).database(r.get(2))
                    .pid(Integer.parseInt(r.get(3))).sessionId(r.get(5)).sessionLine(Long.parseLong(r.get(6)))
                    .message(r.get(13)).detail(r.get(14).isEmpty() ? null : r.get(14)).application(r.get(22))));
        }
        return out;
    }

    static List<LogEntry> jsonlog(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<LogEntry> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            out.add(interpret(LogEntry.builder().timestamp(time(n.path("timestamp").asText()))
                    .user(n.path("user").asText(null)).database(n.path("dbname").asText(null))
                    .pid(n.path("pid").asInt(-1)).sessionId(n.path("session_id").asText(null))
                    .sessionLine(n.path("line_num").asLong(-1)).application(n.path("application_name").asText(null))
                    .message(n.path("message").asText(null)).detail(n.path("detail").asText(null))));
        }
        return out;
    }

    private static OffsetDateTime time(String s) {
        return ZonedDateTime.parse(s, TIME).toOffsetDateTime();
    }

    private static LogEntry interpret(LogEntry.Builder b) {
        Matcher m = b.message() == null ? null : MESSAGE.matcher(b.message());
        if (m != null && m.matches()) {
            StatementPhase phase = switch (m.group(2)) {
                case "statement" -> StatementPhase.SIMPLE;
                case "parse" -> StatementPhase.PARSE;
                case "bind" -> StatementPhase.BIND;
                default -> StatementPhase.EXECUTE;
            };
            String name = m.group(3).trim();
            b.durationMs(Double.parseDouble(m.group(1))).phase(phase).statement(m.group(4))
                    .preparedName(name.isEmpty() || name.equals("<unnamed>") ? null : name);
            if (b.detail() != null && b.detail().regionMatches(true, 0, "parameters:", 0, 11)) {
                List<String> params = new ArrayList<>();
                Matcher p = PARAMETER.matcher(b.detail());
                while (p.find()) {
                    params.add(p.group(3) == null ? null : p.group(3).replace("''", "'"));
                }
                b.parameters(params);
            }
        }
        return b.build();
    }

    private static List<List<String>> csvRecords(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return records;
    }
}
