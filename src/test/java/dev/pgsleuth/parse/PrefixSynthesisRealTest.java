package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.source.LogInput;
import dev.pgsleuth.testing.RealPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prefixes no known form fits, as a real PostgreSQL 17 writes them, are derived and read in full. */
class PrefixSynthesisRealTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%m %c %e %q%a ", "%t %r %u %d %p %c ", "%m [%p] %b %q%u@%d/%a %e "})
    void derivesWhatTheServerWrote(String prefix) throws Exception {
        String app = "nightly report job";
        try (RealPostgres pg = RealPostgres.builder().logName("synth").logLinePrefix(prefix).start()) {
            try (Connection c = pg.connect(app); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                    for (int i = 0; i < 5; i++) {
                        ps.setInt(1, i);
                        ps.setString(2, "v" + i);
                        ps.executeUpdate();
                    }
                }
                try {
                    s.execute("SELECT * FROM no_such_table");
                } catch (SQLException expected) {
                    // logged as ERROR + STATEMENT
                }
                s.execute("CHECKPOINT");
            }
            pg.awaitLogged();
            pg.stop();
            List<String> lines = Files.readAllLines(pg.stderrLog());
            assertEquals(prefix, PrefixInference.infer(lines).prefix(), () -> String.join("\n", lines));

            List<LogEntry> entries = new ArrayList<>();
            ParseResult r = new LogParser().read(LogInput.of(pg.stderrLog()), ParseOptions.auto(),
                    b -> entries.add(b.build()));
            assertEquals(prefix, r.prefix());
            assertEquals(0, r.unparsed().count(), () -> r.unparsed().samples().toString());
            List<LogEntry> inserts = entries.stream()
                    .filter(e -> e.message() != null && e.message().contains("INSERT INTO t")).toList();
            assertFalse(inserts.isEmpty());
            for (LogEntry e : inserts) {
                if (prefix.contains("%a")) {
                    assertEquals(app, e.application());
                }
                if (prefix.contains("%u")) {
                    assertEquals(RealPostgres.USER, e.user());
                }
                if (prefix.contains("%d")) {
                    assertEquals("postgres", e.database());
                }
                if (prefix.contains("%r")) {
                    assertTrue(e.client().startsWith("127.0.0.1("), e.client());
                }
            }
            LogEntry error = entries.stream().filter(e -> e.message() != null && e.message().contains("no_such_table"))
                    .findFirst().orElseThrow();
            assertEquals("SELECT * FROM no_such_table", error.statement());
            if (prefix.contains("%e")) {
                assertEquals("42P01", error.sqlState());
            }
        }
    }
}
