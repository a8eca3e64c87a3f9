package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.parse.PrefixRenderer.Proc;
import dev.pgsleuth.source.LogInput;
import java.io.ByteArrayInputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixSynthesisTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(PrefixSynthesisTest.class.getResource("/prefix/" + name)).toURI());
    }

    /**
     * A server start, background processes (startup, checkpointer, autovacuum) and four
     * sessions: psql over the Unix socket, a JDBC client that sets its name after connecting, a
     * pgAdmin-style client whose name has spaces and a colon, and one that fails a statement.
     */
    static List<String> workload(String prefix) {
        PrefixRenderer r = new PrefixRenderer(prefix);
        Proc postmaster = PrefixRenderer.background(4100, "postmaster", "");
        Proc startup = PrefixRenderer.background(4102, "startup", "");
        Proc checkpointer = PrefixRenderer.background(4101, "checkpointer", "");
        Proc autovacuum = PrefixRenderer.background(4190, "autovacuum worker", "7/31");
        r.log(postmaster, "starting PostgreSQL 17.2 on x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit");
        r.log(postmaster, "listening on IPv4 address \"0.0.0.0\", port 5432");
        r.log(startup, "database system was shut down at 2024-05-01 10:19:58 UTC");
        r.log(postmaster, "database system is ready to accept connections");

        Proc psql = PrefixRenderer.client(4201, "[local]", "", "3/12");
        r.log(psql, "connection received: host=[local]");
        psql.user = "alice";
        psql.database = "inventory";
        psql.application = "psql";
        r.log(psql, "connection authorized: user=alice database=inventory application_name=psql");
        r.log(psql, "duration: 0.412 ms  statement: SELECT count(*) FROM items;");

        Proc jdbc = PrefixRenderer.client(4202, "10.0.0.5", "53422", "4/7");
        r.log(jdbc, "connection received: host=10.0.0.5 port=53422");
        jdbc.user = "app";
        jdbc.database = "shop";
        r.log(jdbc, "connection authorized: user=app database=shop");
        jdbc.application = "PostgreSQL JDBC Driver";
        r.log(jdbc, "duration: 0.074 ms  statement: SET application_name = 'PostgreSQL JDBC Driver'");
        jdbc.xid = "7245";
        r.log(jdbc, "duration: 0.160 ms  parse <unnamed>: SELECT * FROM orders WHERE id = $1");
        r.log(jdbc, "duration: 0.053 ms  bind <unnamed>: SELECT * FROM orders WHERE id = $1");
        r.line(jdbc, "DETAIL", "00000", "Parameters: $1 = '42'");
        r.log(jdbc, "duration: 1.006 ms  execute <unnamed>: SELECT * FROM orders WHERE id = $1");
        r.line(jdbc, "DETAIL", "00000", "Parameters: $1 = '42'");
        jdbc.xid = "0";

        r.log(checkpointer, "checkpoint starting: time");
        Proc admin = PrefixRenderer.client(4203, "192.168.1.20", "61002", "5/3");
        r.log(admin, "connection received: host=192.168.1.20 port=61002");
        admin.user = "dba";
        admin.database = "postgres";
        admin.application = "pgAdmin 4 - CONN:8810323";
        r.log(admin, "connection authorized: user=dba database=postgres application_name=pgAdmin 4 - CONN:8810323");
        r.log(admin, "duration: 2.110 ms  statement: SELECT version()");
        r.log(jdbc, "duration: 12.480 ms  statement: UPDATE orders SET status = 'paid' WHERE id = 42");

        Proc failing = PrefixRenderer.client(4204, "10.0.0.6", "40110", "6/2");
        r.log(failing, "connection received: host=10.0.0.6 port=40110");
        failing.user = "report";
        failing.database = "shop";
        failing.application = "nightly report";
        r.log(failing, "connection authorized: user=report database=shop application_name=nightly report");
        r.line(failing, "ERROR", "42P01", "relation \"missing\" does not exist at character 15");
        r.line(failing, "STATEMENT", "42P01", "SELECT * FROM missing");
        r.log(autovacuum, "automatic analyze of table \"shop.public.orders\"");
        r.log(checkpointer, "checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled");
        r.log(psql, "duration: 1501.220 ms  statement: SELECT pg_sleep(1.5),");
        List<String> out = new ArrayList<>(r.lines());
        out.add("\t1 AS one;");
        r.log(jdbc, "disconnection: session time: 0:00:01.204 user=app database=shop host=10.0.0.5 port=53422");
        r.log(psql, "disconnection: session time: 0:00:03.010 user=alice database=inventory host=[local]");
        out.addAll(r.lines().subList(out.size() - 1, r.lines().size()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "%m [%p] %q%u@%d/%a %c:%l ",
        "%m %c %e %q%a ",
        "%m [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ",
        "< %m %r %u %d >",
        "%t %h %u %d %p %c ",
        "%t %h %d %u %p %c ",
        "%m [%p] %v %x ",
        "%m [%p] %quser=%u db=%d app=%a host=%r ",
        "%m|%p|%c|%l|%e|%q%u|%d|%a|%h|",
        "%m [%p] %q%u@%d %e ",
        "%n [%p] %q%u@%d/%a ",
        "%t [%p]: [%l] %q%c %u@%d %r ",
        "%m [%p] %b %q%u@%d ",
        "[%p] %m %q%u %d %a ",
        // known ones, still found
        "%t [%p-%l] %q%u@%d ",
        "%m:%r:%u@%d:[%p]:",
    })
    void infersAndReadsEveryLine(String prefix) {
        List<String> lines = workload(prefix);
        PrefixInference.Result r = PrefixInference.infer(lines);
        assertNotNull(r);
        assertEquals(prefix, r.prefix(), () -> String.join("\n", lines));
        assertEquals(r.sampledLines(), r.matchedLines());

        List<LogEntry> entries = new ArrayList<>();
        byte[] log = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        ParseResult p = new LogParser().read(LogInput.of("test.log", () -> new ByteArrayInputStream(log)),
                ParseOptions.auto(), b -> entries.add(b.build()));
        assertEquals(prefix, p.prefix());
        assertEquals(0, p.unparsed().count(), () -> p.unparsed().samples().toString());

        LogEntry jdbc = entries.stream().filter(e -> e.message().contains("UPDATE orders")).findFirst().orElseThrow();
        if (prefix.contains("%a")) {
            assertEquals("PostgreSQL JDBC Driver", jdbc.application());
        }
        if (prefix.contains("%u")) {
            assertEquals("app", jdbc.user());
        }
        if (prefix.contains("%d")) {
            assertEquals("shop", jdbc.database());
        }
        if (prefix.contains("%p")) {
            assertEquals(4202, jdbc.pid());
        }
        if (prefix.contains("%c")) {
            assertEquals("66321770.106a", jdbc.sessionId());
        }
        if (prefix.contains("%h") || prefix.contains("%r")) {
            assertTrue(jdbc.client().startsWith("10.0.0.5"), jdbc.client());
        }
        LogEntry admin = entries.stream().filter(e -> e.message().contains("version()")).findFirst().orElseThrow();
        if (prefix.contains("%a")) {
            assertEquals("pgAdmin 4 - CONN:8810323", admin.application());
        }
        LogEntry error = entries.stream().filter(e -> e.message().contains("missing")).findFirst().orElseThrow();
        assertEquals("SELECT * FROM missing", error.statement());
        if (prefix.contains("%e")) {
            assertEquals("42P01", error.sqlState());
        }
        LogEntry checkpoint = entries.stream().filter(e -> e.message().startsWith("checkpoint starting"))
                .findFirst().orElseThrow();
        assertEquals(null, checkpoint.user());
        LogEntry slow = entries.stream().filter(e -> e.message().contains("pg_sleep")).findFirst().orElseThrow();
        assertTrue(slow.message().endsWith("1 AS one;"), slow.message());
    }

    @Test
    void applicationNamesWithSpacesBeforeAFieldAndAtTheEnd() {
        LogLinePrefix sessionLine = LogLinePrefix.compile("%m [%p] %q%u@%d/%a %c:%l ");
        LogEntry e = sessionLine.parse("2024-05-01 10:20:31.826 UTC [4202] app@shop/PostgreSQL JDBC Driver "
                + "66321770.106a:3 LOG:  duration: 0.074 ms  statement: SELECT 1").build();
        assertEquals("PostgreSQL JDBC Driver", e.application());
        assertEquals("66321770.106a", e.sessionId());
        assertEquals(3, e.sessionLine());

        LogEntry last = LogLinePrefix.compile("%m %c %e %q%a ").parse("2024-05-01 10:20:31.826 UTC 66321770.106a "
                + "00000 pgAdmin 4 - CONN:8810323 LOG:  statement: SELECT version()").build();
        assertEquals("pgAdmin 4 - CONN:8810323", last.application());
        assertEquals("statement: SELECT version()", last.message());

        // user and database names do not take in the next word to reach the severity
        assertEquals(null, LogLinePrefix.compile("%m [%p] %q%u@%d ")
                .parse("2024-05-01 10:20:31.826 UTC [4202] app@shop 00000 LOG:  statement: SELECT 1"));
    }

    @Test
    void aKnownPrefixThatCutsNamesAtSpacesLosesToTheDerivedOne() {
        // %q%u@%d reads "psql alice@inventory" with the user "psql alice": it reads every line, but not cleanly
        assertEquals("%m [%p] %q%a %u@%d ", PrefixInference.infer(workload("%m [%p] %q%a %u@%d ")).prefix());
    }

    @Test
    void stretchedMatchesAreMarked() {
        LogLinePrefix.Match m = new LogLinePrefix.Match();
        // an application name with spaces up to a session id is what the prefix expects
        assertFalse(matches("%m [%p] %q%u@%d/%a %c:%l ",
                "2024-05-01 10:20:31.826 UTC [4202] app@shop/PostgreSQL JDBC Driver 66321770.106a:3 LOG:  x", m).stretched);
        assertFalse(matches("%m [%p] %q%u@%d/%a %c:%l ",
                "2024-05-01 10:20:31.826 UTC [4202] app@shop/psql 66321770.106a:3 LOG:  x", m).stretched);
        // up to the severity word, or to a bare number, it is a guess
        assertTrue(matches("%m [%p] %q%u@%d/%a ",
                "2024-05-01 10:20:31.826 UTC [4202] app@shop/psql 66321770.106a:3 LOG:  x", m).stretched);
        assertTrue(matches("%m %q%a %p ", "2024-05-01 10:20:31.826 UTC my app 4202 LOG:  x", m).stretched);
    }

    private static LogLinePrefix.Match matches(String prefix, String line, LogLinePrefix.Match m) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertTrue(LogLinePrefix.compile(prefix).match(b, 0, b.length, m), line);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "pg17-t-r-u-d-p-c.log|'%t %r %u %d %p %c '",
        "pg17-m-p-b-q-u-d-a-e.log|'%m [%p] %b %q%u@%d/%a %e '",
    })
    void storedCapturesOfARealServer(String file, String prefix) throws Exception {
        Path log = resource(file);
        assertEquals(prefix, PrefixInference.infer(Files.readAllLines(log)).prefix());
        List<LogEntry> out = new ArrayList<>();
        ParseResult p = new LogParser().read(LogInput.of(log), ParseOptions.auto(), b -> out.add(b.build()));
        assertEquals(0, p.unparsed().count(), () -> p.unparsed().samples().toString());
        LogEntry insert = out.stream().filter(e -> e.message().contains("INSERT INTO t")).findFirst().orElseThrow();
        assertEquals("postgres", insert.user());
        assertEquals("postgres", insert.database());
        assertTrue(insert.pid() > 0);
    }

    @Test
    void aKnownPrefixThatReadsNearlyEveryLineIsKept() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add("2024-05-01 10:20:30.456 UTC [" + (4000 + i % 9) + "] LOG:  duration: 1.0 ms  statement: SELECT " + i);
        }
        lines.add("2024-05-01 10:20:30.456 UTC [4242] 3/4 LOG:  something else");
        PrefixInference.Result r = PrefixInference.infer(lines);
        assertEquals("%m [%p] ", r.prefix());
        assertEquals(300, r.matchedLines());
    }

    @Test
    void linesOfOtherFormatsGetNoDerivedPrefix() {
        List<String> csv = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            csv.add("2024-05-01 10:20:30.456 UTC,\"app\",\"shop\",4242,\"10.0.0.5:5342\",66321770.106a," + i
                    + ",\"SELECT\",2024-05-01 10:20:00 UTC,3/4,0,LOG,00000,\"duration: 1.0 ms  statement: SELECT 1\""
                    + ",,,,,,,,,\"psql\",\"client backend\",,0");
        }
        PrefixInference.Result r = PrefixInference.infer(csv);
        assertTrue(r == null || !r.convincing(), () -> r.prefix());
        assertTrue(PrefixSynthesizer.templates(csv.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList())
                .isEmpty());
    }

    @Test
    void qVariantsRightmostFirst() {
        assertEquals(List.of("%m [%p] %u@%d %q%c ", "%m [%p] %u@%q%d %c ", "%m [%p] %q%u@%d %c ", "%m [%q%p] %u@%d %c ",
                "%m %q[%p] %u@%d %c "),
                PrefixSynthesizer.qVariants("%m [%p] %u@%d %c "));
    }

    @Test
    void rendererWritesPostgresLines() {
        List<String> lines = workload("%m [%p] %q%u@%d/%a %c:%l ");
        assertEquals("2024-05-01 10:20:30.593 UTC [4100] LOG:  starting PostgreSQL 17.2 on x86_64-pc-linux-gnu, "
                + "compiled by gcc 12.2.0, 64-bit", lines.get(0));
        assertTrue(lines.contains("2024-05-01 10:20:31.552 UTC [4202] [unknown]@[unknown]/[unknown] 66321770.106a:1 "
                + "LOG:  connection received: host=10.0.0.5 port=53422"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("[4202] app@shop/PostgreSQL JDBC Driver 66321770.106a:3 LOG:")));
        List<String> t = workload("%t %h %u %d %p %c ");
        assertTrue(t.contains("2024-05-01 10:20:30 UTC    4100 66321750.1004 LOG:  starting PostgreSQL 17.2 on "
                + "x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit"), String.join("\n", t));
    }

    @Test
    void sampleLogWithJdbcApplicationNames() throws Exception {
        Path log = resource("sample-jdbc.log");
        PrefixInference.Result r = PrefixInference.infer(Files.readAllLines(log));
        assertEquals("%m [%p] %q%u@%d/%a %c:%l ", r.prefix());
        List<LogEntry> out = new ArrayList<>();
        ParseResult p = new LogParser().read(LogInput.of(log), ParseOptions.auto(), b -> out.add(b.build()));
        assertEquals("%m [%p] %q%u@%d/%a %c:%l ", p.prefix());
        assertEquals(0, p.unparsed().count(), () -> p.unparsed().samples().toString());
        assertTrue(out.stream().anyMatch(e -> "PostgreSQL JDBC Driver".equals(e.application())
                && e.sessionId() != null && e.sessionId().matches("[0-9a-f]{8}\\.[0-9a-f]+")));
        assertFalse(out.stream().anyMatch(e -> e.application() != null && e.application().contains(".")));
    }
}
