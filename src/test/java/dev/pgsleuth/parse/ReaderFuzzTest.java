package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property-based fuzzing of the three main readers (jqwik): for any sequence of well-formed
 * entries, whose statements, messages and bind values hold quotes, commas, newlines, tabs and
 * UTF-8, interleaved with garbage lines and bytes, the reader never throws, every well-formed
 * entry comes out of {@link StatementInterpreter} with its content, and every garbage line is
 * counted in {@link UnparsedLines}.
 *
 * <p>What counts as garbage is what no reader can tell from a record: a line starting with a tab
 * continues the stderr entry before it, and a stray {@code "} opens a csv field that runs to the
 * next quote (PostgreSQL never writes one unquoted), so garbage lines start with neither, and csv
 * garbage has no quote and too few commas to be a record.
 */
class ReaderFuzzTest {

    private static final String PREFIX = "%m [%p] %q%u@%d %a ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Kind { SIMPLE, EXECUTE, ERROR }

    /** One statement as a server logs it, and what the readers must give back. */
    private record Entry(Kind kind, int pid, String user, String db, String app, String sql, List<String> params,
            long micros, String error) implements Item {

        Observed expected() {
            return switch (kind) {
                case SIMPLE -> new Observed(pid, user, db, app, Severity.LOG, StatementPhase.SIMPLE, sql, micros,
                        List.of(), null);
                case EXECUTE -> new Observed(pid, user, db, app, Severity.LOG, StatementPhase.EXECUTE, sql, micros,
                        params, null);
                case ERROR -> new Observed(pid, user, db, app, Severity.ERROR, null, sql, -1, List.of(), error);
            };
        }

        String duration() {
            return String.format("duration: %d.%03d ms  ", micros / 1000, micros % 1000);
        }

        String message() {
            return switch (kind) {
                case SIMPLE -> duration() + "statement: " + sql;
                case EXECUTE -> duration() + "execute <unnamed>: " + sql;
                case ERROR -> error;
            };
        }

        /** The DETAIL of an execute: {@code parameters: $1 = 'it''s', $2 = NULL}, as PostgreSQL 13+ writes it. */
        String detail() {
            if (kind != Kind.EXECUTE || params.isEmpty()) {
                return null;
            }
            StringBuilder sb = new StringBuilder("parameters: ");
            for (int i = 0; i < params.size(); i++) {
                String v = params.get(i);
                sb.append(i == 0 ? "" : ", ").append('$').append(i + 1).append(" = ")
                        .append(v == null ? "NULL" : "'" + v.replace("'", "''") + "'");
            }
            return sb.toString();
        }

        String timestamp() {
            return "2026-05-16 05:11:" + String.format("%02d.%03d", pid % 60, (int) (micros % 1000)) + " UTC";
        }
    }

    /** Lines no reader can make sense of; each one must be counted. */
    private record Garbage(List<byte[]> lines) implements Item {
    }

    private sealed interface Item permits Entry, Garbage {
    }

    /** The fields a reader plus the interpreter must give back. */
    private record Observed(int pid, String user, String db, String app, Severity severity, StatementPhase phase,
            String statement, long micros, List<String> params, String message) {

        static Observed of(LogEntry e) {
            long micros = Double.isNaN(e.durationMs()) ? -1 : Math.round(e.durationMs() * 1000);
            return new Observed(e.pid(), e.user(), e.database(), e.application(), e.severity(), e.phase(),
                    e.statement(), micros, e.parameters(), e.phase() == null ? e.message() : null);
        }
    }

    /** Statement and value text: SQL words, quotes, commas, newlines, tabs, backslashes, 2- to 4-byte UTF-8. */
    private static Arbitrary<String> text(int maxPieces) {
        Arbitrary<String> pieces = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1)
                        .ofMaxLength(8)),
                Tuple.of(4, Arbitraries.of(" ", " ", ",", ", ", "'", "''", "\"", "\n", "\t", "\n\t", "\\", ";", "$1",
                        "$2", "(", ")", "=", ":", ": ", "  ", "--", "/*", "*/", "{}", "NULL", "LOG:  ", "DETAIL:  ")),
                Tuple.of(2, Arbitraries.of("é", "ß", "ø", "✓", "日本語", "😀", "\u00a0", "\u2028", "ü€")),
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20)));
        return pieces.list().ofMaxSize(maxPieces).map(l -> String.join("", l));
    }

    private static Arbitrary<Entry> entries() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6)
                .map(s -> s + "_1");
        Arbitrary<String> sql = Combinators.combine(
                Arbitraries.of("SELECT", "select", "UPDATE", "INSERT", "WITH", "DELETE"), text(16))
                .as((verb, body) -> verb + " " + body);
        Arbitrary<List<String>> params = text(6).injectNull(0.2).list().ofMaxSize(4);
        Arbitrary<String> error = text(8).map(t -> "syntax error at or near \"" + t + "\"");
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(1000, 1004), name, name,
                name, sql, params, Arbitraries.longs().between(0, 86_400_000_000L))
                .as((kind, pid, user, db, app, statement, values, micros) -> new Entry(kind, pid, user, db, app,
                        statement, values, micros, null))
                .flatMap(e -> e.kind() == Kind.ERROR ? error.map(m -> new Entry(e.kind(), e.pid(), e.user(), e.db(),
                        e.app(), e.sql(), List.of(), e.micros(), m)) : Arbitraries.just(e));
    }

    /** A garbage line: printable text or raw bytes (invalid UTF-8, NUL, CR), never starting with a tab. */
    private static Arbitrary<byte[]> garbageLine() {
        Arbitrary<Character> first = Arbitraries.chars().range('!', '~').with('é', '✓', '\r', ' ');
        Arbitrary<byte[]> rest = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').withChars('\t', 'é', '✓', '\r').ofMaxLength(80)
                        .map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(80)));
        return Combinators.combine(first, rest).as((f, r) -> {
            byte[] head = String.valueOf(f).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(head);
            for (byte x : r) {
                if (x != '\n') {
                    b.write(x);
                }
            }
            return b.toByteArray();
        }).filter(ReaderFuzzTest::notBlank);
    }

    private static boolean notBlank(byte[] line) {
        for (byte x : line) {
            if (x != ' ' && x != '\r' && x != '\t') {
                return true;
            }
        }
        return false;
    }

    private static Arbitrary<List<Item>> logs(Arbitrary<Garbage> garbage) {
        return Arbitraries.frequencyOf(Tuple.of(3, entries().map(e -> (Item) e)), Tuple.of(1, garbage.map(g -> (Item) g)))
                .list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Item>> stderrLogs() {
        // a garbage line may bring tab-continued lines of its own: they belong to it, not to the entry before
        Arbitrary<List<byte[]>> continued = text(6).map(t -> ("\t" + t.replace('\n', ' ')).getBytes(StandardCharsets.UTF_8))
                .list()
                .ofMaxSize(2);
        return logs(Combinators.combine(garbageLine(), continued).as((g, more) -> {
            List<byte[]> lines = new ArrayList<>();
            lines.add(g);
            lines.addAll(more);
            return new Garbage(lines);
        }));
    }

    @Provide
    Arbitrary<List<Item>> csvLogs() {
        return logs(garbageLine().filter(ReaderFuzzTest::notACsvRecord).map(g -> new Garbage(List.of(g))));
    }

    @Provide
    Arbitrary<List<Item>> jsonLogs() {
        // besides junk, a log line cut short, as a crash or a full disk leaves it
        Arbitrary<byte[]> cut = entries().flatMap(e -> {
            byte[] line = jsonLine(e);
            return Arbitraries.integers().between(1, line.length - 2).map(n -> Arrays.copyOf(line, n));
        });
        return logs(Arbitraries.oneOf(garbageLine(), cut).map(g -> new Garbage(List.of(g))));
    }

    private static boolean notACsvRecord(byte[] line) {
        int commas = 0;
        for (byte x : line) {
            if (x == '"') {
                return false;
            }
            commas += x == ',' ? 1 : 0;
        }
        return commas < CsvLogReader.MIN_COLUMNS - 1;
    }

    private static byte[] stderr(Entry e) {
        String head = e.timestamp() + " [" + e.pid() + "] " + e.user() + "@" + e.db() + " " + e.app() + " ";
        StringBuilder sb = new StringBuilder();
        sb.append(head).append(e.kind() == Kind.ERROR ? "ERROR:  " : "LOG:  ").append(tabbed(e.message())).append('\n');
        if (e.detail() != null) {
            sb.append(head).append("DETAIL:  ").append(tabbed(e.detail())).append('\n');
        }
        if (e.kind() == Kind.ERROR) {
            sb.append(head).append("STATEMENT:  ").append(tabbed(e.sql())).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** stderr: every newline inside a message is followed by a tab. */
    private static String tabbed(String s) {
        return s.replace("\n", "\n\t");
    }

    private static byte[] csv(Entry e) {
        boolean error = e.kind() == Kind.ERROR;
        String row = e.timestamp() + "," + q(e.user()) + "," + q(e.db()) + "," + e.pid() + ",\"10.0.0.1:5432\",sess."
                + e.pid() + ",1," + q(error ? "SELECT" : "idle") + ",2026-05-16 05:00:00 UTC,3/4,0,"
                + (error ? "ERROR,42601," : "LOG,00000,") + q(e.message()) + "," + q(e.detail()) + ",,,,,"
                + q(error ? e.sql() : null) + ",,," + q(e.app()) + ",\"client backend\",,0\n";
        return row.getBytes(StandardCharsets.UTF_8);
    }

    /** csvlog quoting: text in quotes with quotes doubled, NULL as nothing. */
    private static String q(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static byte[] jsonLine(Entry e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("timestamp", e.timestamp());
        o.put("user", e.user());
        o.put("dbname", e.db());
        o.put("pid", e.pid());
        o.put("remote_host", "10.0.0.1");
        o.put("remote_port", 5432);
        o.put("session_id", "sess." + e.pid());
        o.put("line_num", 1);
        o.put("error_severity", e.kind() == Kind.ERROR ? "ERROR" : "LOG");
        o.put("state_code", e.kind() == Kind.ERROR ? "42601" : "00000");
        o.put("message", e.message());
        if (e.detail() != null) {
            o.put("detail", e.detail());
        }
        if (e.kind() == Kind.ERROR) {
            o.put("statement", e.sql());
        }
        o.put("application_name", e.app());
        o.put("backend_type", "client backend");
        o.put("query_id", 0);
        try {
            return (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Property(tries = 150)
    void stderrWithAPrefix(@ForAll("stderrLogs") List<Item> log) throws IOException {
        check(log, ReaderFuzzTest::stderr, new StderrReader(PREFIX));
    }

    @Property(tries = 150)
    void csvlog(@ForAll("csvLogs") List<Item> log) throws IOException {
        check(log, ReaderFuzzTest::csv, new CsvLogReader());
    }

    @Property(tries = 150)
    void jsonlog(@ForAll("jsonLogs") List<Item> log) throws IOException {
        check(log, ReaderFuzzTest::jsonLine, new JsonLogReader());
    }

    private interface Writer {
        byte[] write(Entry e);
    }

    private static void check(List<Item> log, Writer writer, FormatReader reader) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<Observed> expected = new ArrayList<>();
        long garbageLines = 0;
        for (Item item : log) {
            if (item instanceof Entry e) {
                file.writeBytes(writer.write(e));
                expected.add(e.expected());
            } else if (item instanceof Garbage g) {
                for (byte[] line : g.lines()) {
                    file.writeBytes(line);
                    file.write('\n');
                    garbageLines++;
                }
            }
        }
        UnparsedLines unparsed = new UnparsedLines();
        List<LogEntry> out = new ArrayList<>();
        StatementInterpreter interpreter = new StatementInterpreter(out::add);
        reader.read(new ByteArrayInputStream(file.toByteArray()), "fuzz", interpreter, unparsed);
        interpreter.finish();
        // the interpreter keeps the order within a session only, so compare as multisets
        assertEquals(sorted(expected), sorted(out.stream().map(Observed::of).toList()), unparsed.samples().toString());
        assertEquals(garbageLines, unparsed.count(), unparsed.samples().toString());
    }

    private static List<String> sorted(List<Observed> l) {
        return l.stream().map(Observed::toString).sorted().toList();
    }
}
