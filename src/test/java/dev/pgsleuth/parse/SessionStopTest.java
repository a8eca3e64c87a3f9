package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgsleuth.model.LogEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A prefix inferred from lines of client sessions only has no {@code %q}; the background
 * processes' lines of the same log (written with {@code %q}) are still read.
 */
class SessionStopTest {

    @Test
    void theStopGoesBeforeTheSessionPart() {
        assertEquals("%m [%p] %q%u@%d/%a %c:%l ", LogLinePrefix.withSessionStop("%m [%p] %u@%d/%a %c:%l "));
        assertEquals("%t [%p]: [%l-1] %quser=%u,db=%d,app=%a,client=%h ",
                LogLinePrefix.withSessionStop("%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h "));
        assertEquals("%m [%p] %q[user=%u,db=%d] ", LogLinePrefix.withSessionStop("%m [%p] [user=%u,db=%d] "));
        // no space before the session part: the stop goes right after the escape before it
        assertEquals("%t%q:%r:%u@%d:[%p]:", LogLinePrefix.withSessionStop("%t:%r:%u@%d:[%p]:"));
        assertNull(LogLinePrefix.withSessionStop("%m [%p] %q%u@%d "), "already there");
        assertNull(LogLinePrefix.withSessionStop("%m [%p] "), "nothing session-only");
        assertNull(LogLinePrefix.withSessionStop("%m [%p] 100%% %c "), "%% is no escape");
    }

    @Test
    void backgroundLinesAreReadWithThePrefixOfTheSessionLines() throws Exception {
        String log = String.join("\n",
                "2026-11-29 12:49:44.457 UTC [24689] app@shop/web 6b0c1f68.6071:3 LOG:  duration: 0.5 ms  statement: SELECT 1",
                "2026-11-29 12:49:45.040 UTC [24684] LOG:  checkpoint starting: immediate force wait",
                "2026-11-29 12:49:45.100 UTC [24700] LOG:  automatic vacuum of table \"shop.public.orders\": index scans: 0",
                "\tpages: 0 removed, 10 remain",
                "2026-11-29 12:49:45.200 UTC [24689] app@shop/web 6b0c1f68.6071:4 LOG:  duration: 0.4 ms  statement: SELECT 2",
                "");
        List<LogEntry> entries = new ArrayList<>();
        UnparsedLines unparsed = new UnparsedLines();
        new StderrReader("%m [%p] %u@%d/%a %c:%l ").read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)),
                "test.log", b -> entries.add(b.build()), unparsed);
        assertEquals(0, unparsed.count(), unparsed.samples().toString());
        assertEquals(4, entries.size());
        assertEquals(24684, entries.get(1).pid());
        assertNull(entries.get(1).user());
        assertEquals("automatic vacuum of table \"shop.public.orders\": index scans: 0\npages: 0 removed, 10 remain",
                entries.get(2).message());
        assertEquals("app", entries.get(3).user());
    }
}
