package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgsleuth.model.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one read of a log gave — its entries, its line count, and the lines it did not read — for
 * the tests that read a log two ways and expect the same.
 */
record ReadOutcome(List<LogEntry> entries, long lines, long unread, List<String> samples) {

    /** One read of a log into {@code out}; returns how many lines it read. */
    interface Read {
        long into(Consumer<LogEntry.Builder> out, UnparsedLines unparsed) throws IOException;
    }

    static ReadOutcome of(List<LogEntry> entries, long lines, UnparsedLines unparsed) {
        return new ReadOutcome(entries, lines, unparsed.count(), unparsed.samples());
    }

    /** What {@code read} gives, each entry built as it comes. */
    static ReadOutcome of(Read read) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        UnparsedLines unparsed = new UnparsedLines();
        long lines = read.into(b -> entries.add(b.build()), unparsed);
        return of(entries, lines, unparsed);
    }

    /** What {@code read} gives through a statement interpreter, as an analysis reads. */
    static ReadOutcome interpreted(Read read) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        StatementInterpreter interpreter = new StatementInterpreter(entries::add);
        UnparsedLines unparsed = new UnparsedLines();
        long lines = read.into(interpreter, unparsed);
        interpreter.finish();
        return of(entries, lines, unparsed);
    }

    /** Asserts that this read gave what {@code expected} gave, naming {@code how} it was read in a failure. */
    void assertSameAs(ReadOutcome expected, String how) {
        assertEquals(expected.lines(), lines, "lines, " + how);
        assertEquals(expected.unread(), unread, "unread lines, " + how);
        assertEquals(expected.samples(), samples, "unread samples, " + how);
        assertEquals(expected.entries(), entries, "entries, " + how);
    }

    /** {@code bytes} handed out by reads of at most {@code maxRead} bytes, as a pipe or a slow disk does. */
    static InputStream inReadsOf(byte[] bytes, int maxRead) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, maxRead));
            }
        };
    }
}
