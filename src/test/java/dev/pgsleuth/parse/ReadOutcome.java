package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgsleuth.model.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What one read of a log gave — its entries, its line count, and the lines it did not read — for
 * the tests that read a log two ways and expect the same.
 */
record ReadOutcome(List<LogEntry> entries, long lines, long unread, List<String> samples) {

    static ReadOutcome of(List<LogEntry> entries, long lines, UnparsedLines unparsed) {
        return new ReadOutcome(entries, lines, unparsed.count(), unparsed.samples());
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
