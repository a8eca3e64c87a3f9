package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compiled prefix recognizes the part of a line that a session repeats (pid, user, database,
 * application, session id) by its bytes once it has matched it field by field. Here every line of
 * interleaved sessions, with values that hold the prefix's own separators and lines damaged byte by
 * byte, is matched by one long-lived prefix and by a fresh one that has seen nothing: the fields
 * must be the same.
 */
class PrefixRecallTest {
    private static final String[] APPLICATIONS = {"", "shop-api", "PostgreSQL JDBC Driver", "psql", "a@b/c d",
        "x:1 y", "app LOG: x", "69a5.52 z", "[unknown]", "name with  two spaces", "ends with space "};
    private static final String[] USERS = {"app", "bench", "", "postgres", "u@x", "a/b"};
    private static final String[] DATABASES = {"shop", "bench", "", "postgres", "db:1", "x y"};
    private static final String[] HOSTS = {"10.0.0.11", "10.0.0.12", "[local]", "::1", "host.example.com"};
    private static final String[] WORDS = {"LOG", "LOG", "LOG", "DETAIL", "STATEMENT", "ERROR", "HINT", "CONTEXT"};

    @ParameterizedTest
    @ValueSource(strings = {
        "%m [%p] %u@%d/%a %c:%l ",
        "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
        "%m [%p] %q%u@%d/%a ",
        "%m %r %u %d [%p] %a ",
        "%t:%r:%u@%d:[%p]: ",
        "%m [%p]: [%l] %b %q%a %e ",
        "%n [%p] %-10u %10d %x %v ",
        "%m %-12a|%5p %u ",
        "%m %c %a %e ",
        "%m %u %a %h %r [%p] ",
        "[%p] %u %a ",
    })
    void recalledFieldsEqualAFreshMatch(String prefix) {
        Random random = new Random(prefix.hashCode());
        List<PrefixRenderer.Proc> procs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int pid = 20_000 + random.nextInt(3_000);
            PrefixRenderer.Proc p = i % 8 == 7
                    ? PrefixRenderer.background(pid, i % 16 == 7 ? "autovacuum worker" : "checkpointer", "")
                    : PrefixRenderer.client(pid, pick(random, HOSTS), String.valueOf(40_000 + i), "3/" + i);
            p.user = pick(random, USERS);
            p.database = pick(random, DATABASES);
            p.application = pick(random, APPLICATIONS);
            procs.add(p);
        }
        PrefixRenderer renderer = new PrefixRenderer(prefix);
        for (int i = 0; i < 4_000; i++) {
            PrefixRenderer.Proc p = procs.get(random.nextInt(procs.size()));
            if (random.nextInt(50) == 0) {
                p.application = pick(random, APPLICATIONS);
            }
            p.xid = String.valueOf(random.nextInt(3) == 0 ? 0 : 700 + i);
            renderer.line(p, pick(random, WORDS), random.nextBoolean() ? "00000" : "42P01", "text " + i);
        }

        LogLinePrefix longLived = LogLinePrefix.compile(prefix);
        int compared = 0;
        int matched = 0;
        for (String text : renderer.lines()) {
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            for (byte[] variant : List.of(line, damage(random, line))) {
                LogLinePrefix.Match kept = new LogLinePrefix.Match();
                LogLinePrefix.Match fresh = new LogLinePrefix.Match();
                boolean keptMatched = longLived.match(variant, 0, variant.length, kept);
                boolean freshMatched = LogLinePrefix.compile(prefix).match(variant, 0, variant.length, fresh);
                String shown = new String(variant, StandardCharsets.UTF_8);
                assertEquals(freshMatched, keptMatched, shown);
                if (freshMatched) {
                    assertEquals(fields(fresh), fields(kept), shown);
                    matched++;
                }
                compared++;
            }
        }
        assertTrue(matched > compared / 3, matched + " of " + compared + " lines matched");
        assertTrue(longLived.segmentTextsKept() > 0, "no segment text was kept");
    }

    /** One byte of the first 60 replaced by a separator, digit, letter or space, or the line cut there. */
    private static byte[] damage(Random r, byte[] line) {
        int at = r.nextInt(Math.min(60, line.length));
        if (r.nextInt(5) == 0) {
            return java.util.Arrays.copyOf(line, at);
        }
        byte[] copy = line.clone();
        copy[at] = (byte) " :@/[]-.,=1aZ".charAt(r.nextInt(14 - 1));
        return copy;
    }

    private static String fields(LogLinePrefix.Match m) {
        return String.join("|", String.valueOf(m.timestamp), String.valueOf(m.pid), m.sessionId,
                String.valueOf(m.sessionLine), m.user, m.database, m.application, m.client, m.sqlState,
                m.hasKey + ":" + m.key, String.valueOf(m.timestampFormMismatch), String.valueOf(m.stretched),
                String.valueOf(m.kind), String.valueOf(m.severity), String.valueOf(m.messageStart));
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
