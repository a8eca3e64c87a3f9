package dev.pgsleuth.testing;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.parse.ParseResult;
import dev.pgsleuth.parse.StatementInterpreter;
import dev.pgsleuth.source.LogInput;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a test log from the class path the way {@code analyze} does: {@link LogParser} with format
 * and prefix detection, then {@link StatementInterpreter}, so detector and report tests see the
 * entries the real pipeline gives them.
 */
public final class TestLogs {

    /** The interpreted entries of a log and what reading it gave. */
    public record Read(List<LogEntry> entries, ParseResult result) {
    }

    /**
     * The {@code log_line_prefix} the server wrote {@code /events/pg14-events.log} with. The test
     * changed it with ALTER SYSTEM a few lines in; the earlier lines parse under it too.
     */
    public static final String PG14_EVENTS_PREFIX = "%m [%p] %q%u@%d %a ";

    private TestLogs() {
    }

    /**
     * The entries of {@code /events/pg14-events.log} (PostgreSQL 14, lock waits, a deadlock,
     * errors, temporary files), read as {@code analyze --prefix} reads it; every line parses.
     */
    public static List<LogEntry> pg14Events() {
        Read r = read("/events/pg14-events.log", new ParseOptions(LogFormat.STDERR, PG14_EVENTS_PREFIX));
        if (r.result().unparsed().count() != 0) {
            throw new AssertionError("unparsed lines: " + r.result().unparsed().samples());
        }
        return r.entries();
    }

    /** The interpreted entries of the class-path resource {@code resource}, format and prefix detected. */
    public static List<LogEntry> entries(String resource) {
        return read(resource, ParseOptions.auto()).entries();
    }

    /** Reads the class-path resource {@code resource} with {@code options}. */
    public static Read read(String resource, ParseOptions options) {
        List<LogEntry> out = new ArrayList<>();
        StatementInterpreter interpreter = new StatementInterpreter(out::add);
        ParseResult r = new LogParser().read(LogInput.of(resource, () -> open(resource)), options, interpreter);
        interpreter.finish();
        return new Read(List.copyOf(out), r);
    }

    private static InputStream open(String resource) {
        InputStream in = TestLogs.class.getResourceAsStream(resource);
        if (in == null) {
            throw new UncheckedIOException(new java.io.FileNotFoundException("no test resource " + resource));
        }
        return in;
    }
}
