package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogLinePrefixTest {

    private static LogEntry parse(String prefix, String line) {
        LogEntry.Builder b = LogLinePrefix.compile(prefix).parse(line);
        assertNotNull(b, () -> "no match of '" + prefix + "' on: " + line);
        return b.build();
    }

    @Test
    void everyEscapeOfOnePrefix() {
        String prefix = "%m|%t|%n|%a|%u|%d|%r|%h|%b|%p|%P|%i|%e|%c|%l|%s|%v|%x|%Q|%%|";
        String line = "2024-05-01 10:20:30.456 CEST|2024-05-01 10:20:30 CEST|1714551630.456|psql app|alice|shop"
                + "|10.0.0.7(53422)|10.0.0.7|client backend|4242||SELECT|42P01|66321a2e.1092|17"
                + "|2024-05-01 10:00:00 CEST|3/77|0|-8733000000000000|%|ERROR:  relation \"nope\" does not exist";
        LogEntry e = parse(prefix, line);
        // %n comes after %m and %t: the last timestamp read wins, and all three are the same instant
        assertEquals("2024-05-01T08:20:30.456Z", e.timestamp().toString());
        assertEquals("psql app", e.application());
        assertEquals("alice", e.user());
        assertEquals("shop", e.database());
        assertEquals("10.0.0.7(53422)", e.client());
        assertEquals(4242, e.pid());
        assertEquals("42P01", e.sqlState());
        assertEquals("66321a2e.1092", e.sessionId());
        assertEquals(17, e.sessionLine());
        assertEquals(Severity.ERROR, e.severity());
        assertEquals("relation \"nope\" does not exist", e.message());
    }

    @Test
    void timestampsWithMillisecondsZonesAndOffsets() {
        assertEquals("2019-10-21T12:03:31.311+03:00",
                parse("%m [%p] ", "2019-10-21 12:03:31.311 MSK [5133] LOG:  x").timestamp().toString());
        assertEquals("2014-04-01T11:13:21+02:00",
                parse("%t [%p] ", "2014-04-01 11:13:21 CEST [1] LOG:  x").timestamp().toString());
        assertEquals("2021-01-22T10:03:22.785+01:00",
                parse("%m [%p] ", "2021-01-22 10:03:22.785 CET [1] LOG:  x").timestamp().toString());
        assertEquals("2021-01-22T10:03:22-05:00",
                parse("%t [%p] ", "2021-01-22 10:03:22 EST [1] LOG:  x").timestamp().toString());
        assertEquals("2021-01-22T10:03:22Z",
                parse("%t [%p] ", "2021-01-22 10:03:22 UTC [1] LOG:  x").timestamp().toString());
        assertEquals("2021-01-22T10:03:22+05:30",
                parse("%t [%p] ", "2021-01-22 10:03:22 +0530 [1] LOG:  x").timestamp().toString());
        assertEquals("2021-01-22T10:03:22-03:00",
                parse("%t [%p] ", "2021-01-22 10:03:22 -03 [1] LOG:  x").timestamp().toString());
        assertEquals("2021-05-17T08:14:53.123Z",
                parse("%n [%p] ", "1621239293.123 [1] LOG:  x").timestamp().toString());
    }

    @Test
    void theSameSecondIsParsedOnce() {
        LogLinePrefix p = LogLinePrefix.compile("%m [%p] ");
        LogEntry a = p.parse("2019-10-21 12:03:31.000 MSK [1] LOG:  a").build();
        LogEntry b = p.parse("2019-10-21 12:03:31.000 MSK [2] LOG:  b").build();
        LogEntry c = p.parse("2019-10-21 12:03:31.250 MSK [2] LOG:  c").build();
        assertSame(a.timestamp(), b.timestamp());
        assertEquals("2019-10-21T12:03:31.250+03:00", c.timestamp().toString());
    }

    @Test
    void paddedFields() {
        LogEntry right = parse("%m %-10u %-8d [%p] ", "2024-01-01 00:00:00.000 UTC bob        shop     [7] LOG:  x");
        assertEquals("bob", right.user());
        assertEquals("shop", right.database());
        assertEquals(7, right.pid());
        LogEntry left = parse("%m [%10p] %5u: ", "2024-01-01 00:00:00.000 UTC [        42]   bob: LOG:  x");
        assertEquals(42, left.pid());
        assertEquals("bob", left.user());
        LogEntry longer = parse("%m %-3u [%p] ", "2024-01-01 00:00:00.000 UTC verylonguser [7] LOG:  x");
        assertEquals("verylonguser", longer.user());
        LogEntry rightPid = parse("%m [%-6p] ", "2024-01-01 00:00:00.000 UTC [42    ] LOG:  x");
        assertEquals(42, rightPid.pid());
    }

    @Test
    void parallelLeaderIsEmptyOutsideParallelWorkers() {
        LogLinePrefix p = LogLinePrefix.compile("%m [%p] [%P] ");
        assertEquals(5, p.parse("2024-01-01 00:00:00.000 UTC [5] [] LOG:  x").build().pid());
        assertEquals(6, p.parse("2024-01-01 00:00:00.000 UTC [6] [5] LOG:  x").build().pid());
    }

    @Test
    void everythingAfterPercentQIsOptional() {
        LogLinePrefix p = LogLinePrefix.compile("%m [%p] %q%u@%d ");
        LogEntry session = p.parse("2025-01-21 18:38:06.453 CET [78798] gilles@shop ERROR:  boom").build();
        assertEquals("gilles", session.user());
        assertEquals("shop", session.database());
        assertEquals("boom", session.message());
        LogEntry server = p.parse("2025-01-21 18:37:49.782 CET [78776] LOG:  starting PostgreSQL 17.2").build();
        assertNull(server.user());
        assertEquals(78776, server.pid());
        assertEquals("starting PostgreSQL 17.2", server.message());
    }

    @Test
    void unknownAndEmptyNamesAreAbsent() {
        LogEntry e = parse("%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
                "2017-09-06 08:40:10 UTC [20]: [1-1] user=,db=[unknown],app=,client= LOG:  ready");
        assertNull(e.user());
        assertNull(e.database());
        assertNull(e.application());
        assertNull(e.client());
        assertEquals(1, e.sessionLine());
    }

    @Test
    void applicationNamesMayHoldSpacesAndCommas() {
        LogEntry e = parse("%t [%p]: user=%u,db=%d,app=%a,client=%h ",
                "2017-09-06 08:40:10 UTC [20]: user=u,db=d,app=My App, v2,client=10.1.1.1 LOG:  x");
        assertEquals("My App, v2", e.application());
        assertEquals("10.1.1.1", e.client());
    }

    @Test
    void rdsAndAzurePrefixes() {
        LogEntry rds = parse("%t:%r:%u@%d:[%p]:",
                "2019-01-01 10:00:00 UTC:10.0.0.1(5432):admin@prod:[1234]:LOG:  statement: SELECT 1");
        assertEquals("10.0.0.1(5432)", rds.client());
        assertEquals("admin", rds.user());
        assertEquals("prod", rds.database());
        assertEquals(1234, rds.pid());
        assertEquals("statement: SELECT 1", rds.message());
        LogEntry azure = parse("%t-%c-", "2020-03-03 10:00:00 UTC-5e5f2a3b.1234-LOG:  connection received");
        assertEquals("5e5f2a3b.1234", azure.sessionId());
        assertEquals("2020-03-03T10:00Z", azure.timestamp().toString());
    }

    @Test
    void siblingWordsAndVerboseSqlState() {
        LogLinePrefix p = LogLinePrefix.compile("%m [%p] ");
        assertEquals("x = 1", p.parse("2024-01-01 00:00:00.000 UTC [1] DETAIL:  x = 1").build().detail());
        assertEquals("SELECT 1", p.parse("2024-01-01 00:00:00.000 UTC [1] STATEMENT:  SELECT 1").build().statement());
        assertEquals("try", p.parse("2024-01-01 00:00:00.000 UTC [1] HINT:  try").build().hint());
        assertEquals("f()", p.parse("2024-01-01 00:00:00.000 UTC [1] CONTEXT:  f()").build().context());
        assertEquals("q", p.parse("2024-01-01 00:00:00.000 UTC [1] QUERY:  q").build().internalQuery());
        LogEntry verbose = p.parse("2024-01-01 00:00:00.000 UTC [1] ERROR:  42P01: relation \"t\" does not exist")
                .build();
        assertEquals("42P01", verbose.sqlState());
        assertEquals("relation \"t\" does not exist", verbose.message());
        assertEquals(Severity.DEBUG, p.parse("2024-01-01 00:00:00.000 UTC [1] DEBUG2:  x").build().severity());
        assertEquals(Severity.WARNING, p.parse("2024-01-01 00:00:00.000 UTC [1] WARNING:  x").build().severity());
    }

    @Test
    void linesThatAreNotLogLines() {
        LogLinePrefix p = LogLinePrefix.compile("%m [%p] ");
        assertNull(p.parse("pg_ctl: could not start server"));
        assertNull(p.parse("2024-01-01 00:00:00.000 UTC [1] FEHLER:  nicht gefunden"));
        assertNull(p.parse("2024-02-30 00:00:00.000 UTC [1] LOG:  no such day"));
        assertNull(p.parse("2024-01-01 00:00:00.000 UTC [x] LOG:  pid is no number"));
        assertNull(p.parse(""));
        assertNull(p.parse("2024-01-01"));
    }

    @Test
    void percentAndUnknownEscapesAndCompileInfo() {
        LogLinePrefix p = LogLinePrefix.compile("%% %z%m [%p] ");
        assertEquals(1, p.parse("% 2024-01-01 00:00:00.000 UTC [1] LOG:  x").build().pid());
        assertTrue(p.hasPid());
        assertFalse(p.hasSessionId());
        assertTrue(p.hasTimestamp());
        assertTrue(LogLinePrefix.compile("%t-%c-").hasSessionId());
        assertEquals("%m [%p] %", LogLinePrefix.compile("%m [%p] %").text());
    }

    @Test
    void byteMatcherFindsTheMessageStart() {
        LogLinePrefix p = LogLinePrefix.compile("%m [%p] ");
        byte[] line = "xx2024-01-01 00:00:00.000 UTC [9] LOG:  héllo".getBytes(StandardCharsets.UTF_8);
        LogLinePrefix.Match m = new LogLinePrefix.Match();
        assertTrue(p.match(line, 2, line.length, m));
        assertEquals("héllo", new String(line, m.messageStart, line.length - m.messageStart, StandardCharsets.UTF_8));
        assertEquals(9L, m.key);
    }
}
