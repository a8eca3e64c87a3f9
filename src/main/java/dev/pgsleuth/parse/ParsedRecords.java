package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.SourcePosition;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The entries and unread records of one block parsed on a worker thread (csvlog, jsonlog), with
 * line numbers counted from the block's first line, which only the reading thread knows.
 */
final class ParsedRecords {
    /** Lines in the block. */
    long lines;
    private LogEntry.Builder[] entries;
    private int[] entryLines;
    private long[] offsets;
    private int size;
    private int[] unreadLines = new int[0];
    private String[] unreadTexts = new String[0];
    private int unread;

    ParsedRecords(int capacity) {
        entries = new LogEntry.Builder[Math.max(1, capacity)];
        entryLines = new int[entries.length];
        offsets = new long[entries.length];
    }

    /** An entry whose record starts on the block's line {@code line} (from 1), at {@code offset} in the input. */
    void entry(LogEntry.Builder b, int line, long offset) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            entryLines = Arrays.copyOf(entryLines, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        entries[size] = b;
        entryLines[size] = line;
        offsets[size] = offset;
        size++;
    }

    /** A record not read, starting on the block's line {@code line}, shown by {@code text}. */
    void unread(int line, String text) {
        if (unread == unreadLines.length) {
            unreadLines = Arrays.copyOf(unreadLines, Math.max(4, unread * 2));
            unreadTexts = Arrays.copyOf(unreadTexts, Math.max(4, unread * 2));
        }
        unreadLines[unread] = line;
        unreadTexts[unread] = text;
        unread++;
    }

    /** Hands this block's entries on after line {@code before}; returns the number of its last line. */
    long handOn(String source, long before, Consumer<LogEntry.Builder> out, UnparsedLines unparsed) {
        for (int i = 0; i < unread; i++) {
            unparsed.add(source, before + unreadLines[i], unreadTexts[i]);
        }
        for (int i = 0; i < size; i++) {
            out.accept(entries[i].position(new SourcePosition(source, offsets[i], before + entryLines[i])));
        }
        return before + lines;
    }
}
