package dev.pgsleuth.detect;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TEST ONLY, a stand-in until the real readers are merged: splits the stderr lines of the test
 * logs ({@code %m [%p] …} or {@code %t [%p]: …}) into entries with severity, message, DETAIL and
 * STATEMENT, and the duration / statement of {@code duration: … statement:} lines.
 */
public final class TestLogLines {
    private static final String[] MARKERS = {"LOG", "ERROR", "FATAL", "PANIC", "WARNING", "DETAIL", "HINT",
        "CONTEXT", "STATEMENT"};
    private static final Map<String, ZoneOffset> ZONES = Map.of("UTC", ZoneOffset.UTC,
            "CET", ZoneOffset.ofHours(1), "CEST", ZoneOffset.ofHours(2), "MSK", ZoneOffset.ofHours(3));

    private TestLogLines() {
    }

    public static List<LogEntry> read(String resource) throws IOException {
        String text;
        try (InputStream in = TestLogLines.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<LogEntry> out = new ArrayList<>();
        LogEntry.Builder current = null;
        StringBuilder body = null;
        String part = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("\t")) {
                if (body != null) {
                    body.append('\n').append(line.substring(1));
                }
                continue;
            }
            int at = -1;
            String marker = null;
            for (String m : MARKERS) {
                int i = line.indexOf(" " + m + ":  ");
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    marker = m;
                }
            }
            if (at < 0) {
                continue;
            }
            if (current != null) {
                finish(current, part, body);
            }
            String rest = line.substring(at + marker.length() + 4);
            Severity sev = Severity.fromLogWord(marker);
            if (sev != null) {
                if (current != null) {
                    out.add(interpret(current).build());
                }
                int pidStart = line.indexOf('[') + 1;
                int pid = Integer.parseInt(line.substring(pidStart, line.indexOf(']', pidStart)));
                String ts = line.substring(0, line.indexOf(" [")).trim();
                current = LogEntry.builder().timestamp(timestamp(ts)).pid(pid).severity(sev);
                part = "MESSAGE";
            } else {
                part = marker;
            }
            body = new StringBuilder(rest);
        }
        if (current != null) {
            finish(current, part, body);
            out.add(interpret(current).build());
        }
        return out;
    }

    private static void finish(LogEntry.Builder b, String part, StringBuilder body) {
        switch (part) {
            case "MESSAGE" -> b.message(body.toString());
            case "DETAIL" -> b.detail(body.toString());
            case "STATEMENT" -> b.statement(body.toString());
            default -> { }
        }
    }

    private static LogEntry.Builder interpret(LogEntry.Builder b) {
        String m = b.message();
        if (m != null && m.startsWith("duration: ")) {
            int ms = m.indexOf(" ms");
            b.durationMs(Double.parseDouble(m.substring("duration: ".length(), ms)));
            String rest = m.substring(ms + " ms  ".length());
            if (rest.startsWith("statement: ")) {
                b.statement(rest.substring("statement: ".length())).phase(StatementPhase.SIMPLE);
            } else {
                for (StatementPhase p : new StatementPhase[] {StatementPhase.PARSE, StatementPhase.BIND, StatementPhase.EXECUTE}) {
                    if (rest.startsWith(p.name().toLowerCase() + " ")) {
                        b.statement(rest.substring(rest.indexOf(": ") + 2)).phase(p);
                    }
                }
            }
        }
        return b;
    }

    private static OffsetDateTime timestamp(String s) {
        int sp = s.lastIndexOf(' ');
        String local = s.substring(0, sp);
        DateTimeFormatter f = DateTimeFormatter.ofPattern(local.contains(".") ? "yyyy-MM-dd HH:mm:ss.SSS" : "yyyy-MM-dd HH:mm:ss");
        return LocalDateTime.parse(local, f).atOffset(ZONES.get(s.substring(sp + 1)));
    }
}
