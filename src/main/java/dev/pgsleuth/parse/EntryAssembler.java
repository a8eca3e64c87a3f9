package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.SourcePosition;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gathers the lines of one entry: its message line, the DETAIL / HINT / CONTEXT / QUERY /
 * STATEMENT lines of the same process, and tab-continued lines. Without the logging collector
 * processes write to stderr concurrently, so an entry stays open until its process writes its
 * next message or {@link #WINDOW} lines have passed; entries leave in the order their first
 * lines came in.
 */
final class EntryAssembler {
    /** Lines after which an entry no longer waits for siblings. */
    static final int WINDOW = 256;

    private final String source;
    private final Consumer<LogEntry.Builder> out;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final LongKeyMap<Pending> open = new LongKeyMap<>();
    private Pending last;

    EntryAssembler(String source, Consumer<LogEntry.Builder> out) {
        this.source = source;
        this.out = out;
    }

    /**
     * A message line with a severity, read into {@code b} (prefix fields): starts a new entry and
     * closes the previous one of its process or session {@code key} ({@link StderrLines#NO_KEY}
     * when the prefix gives neither).
     */
    void primary(LogEntry.Builder b, long key, String message, long offset, long line) {
        Pending previous = open.get(key);
        if (previous != null) {
            previous.closed = true;
        }
        b.position(new SourcePosition(source, offset, line));
        Pending p = new Pending(b, key, line);
        p.set(LogLinePrefix.PRIMARY, message);
        open.put(key, p);
        enqueue(p);
        last = p;
        drain(line);
    }

    /**
     * A sibling line of {@code kind} ({@link LogLinePrefix#DETAIL} …), with the bind values a
     * DETAIL line lists (else empty); false when its process has no open entry.
     */
    boolean sibling(int kind, long key, String text, List<String> parameters, long line) {
        Pending p = open.get(key);
        if (p == null) {
            return false;
        }
        if (kind == LogLinePrefix.STATEMENT) {
            // the interpreter reads the statement of a message with a STATEMENT line itself
            MessageForm.unapply(p.entry);
        } else if (kind == LogLinePrefix.DETAIL) {
            // read early only for a statement line with one DETAIL line, as the interpreter would
            boolean first = p.texts[LogLinePrefix.DETAIL] == null;
            p.entry.parameters(first && p.entry.phase() != null ? parameters : List.of());
        }
        p.set(kind, text);
        p.lastLine = line;
        last = p;
        drain(line);
        return true;
    }

    /**
     * A continuation line (its leading tab removed): extends the text last written, of the
     * process {@code key} when known, else of the last entry touched. False when there is none.
     */
    boolean continuation(String text, long line, boolean keyed, long key) {
        Pending p = keyed ? open.get(key) : last;
        if (p == null || p.emitted) {
            return false;
        }
        p.append(text);
        p.lastLine = line;
        return true;
    }

    /**
     * A line that is no part of any entry came (it was not understood): the tab-continued lines
     * after it continue that line, not the entry touched before it.
     */
    void interrupt() {
        last = null;
    }

    /** Hands out every entry still open. */
    void finish() {
        while (!queue.isEmpty()) {
            emit(queue.pollFirst());
        }
    }

    private void enqueue(Pending p) {
        if (queue.isEmpty() || queue.peekLast().firstLine <= p.firstLine) {
            queue.addLast(p);
            return;
        }
        ArrayDeque<Pending> later = new ArrayDeque<>();
        while (!queue.isEmpty() && queue.peekLast().firstLine > p.firstLine) {
            later.addFirst(queue.pollLast());
        }
        queue.addLast(p);
        queue.addAll(later);
    }

    private void drain(long line) {
        while (!queue.isEmpty()) {
            Pending head = queue.peekFirst();
            if (!head.closed && line - head.lastLine <= WINDOW) {
                return;
            }
            emit(queue.pollFirst());
        }
    }

    private void emit(Pending p) {
        p.emitted = true;
        open.remove(p.key, p);
        if (last == p) {
            last = null;
        }
        p.commit();
        LogEntry.Builder b = p.entry;
        b.message(p.texts[LogLinePrefix.PRIMARY]).detail(p.texts[LogLinePrefix.DETAIL])
                .hint(p.texts[LogLinePrefix.HINT]).context(p.texts[LogLinePrefix.CONTEXT])
                .internalQuery(p.texts[LogLinePrefix.QUERY]);
        if (p.texts[LogLinePrefix.STATEMENT] != null) {
            b.statement(p.texts[LogLinePrefix.STATEMENT]);
        }
        out.accept(b);
    }

    private static final class Pending {
        final LogEntry.Builder entry;
        final long key;
        final long firstLine;
        final String[] texts = new String[LogLinePrefix.IGNORED + 1];
        long lastLine;
        boolean closed;
        boolean emitted;
        private int field;
        private StringBuilder more;

        Pending(LogEntry.Builder entry, long key, long line) {
            this.entry = entry;
            this.key = key;
            this.firstLine = line;
            this.lastLine = line;
        }

        void set(int kind, String text) {
            commit();
            field = kind;
            String old = texts[kind];
            texts[kind] = old == null ? text : old + "\n" + text;
        }

        void append(String text) {
            if (field == LogLinePrefix.PRIMARY) {
                // the message grows: what its first line said about a statement no longer holds
                MessageForm.unapply(entry);
            } else if (field == LogLinePrefix.DETAIL) {
                entry.parameters(List.of());
            }
            if (more == null) {
                more = new StringBuilder(texts[field] == null ? "" : texts[field]);
            }
            more.append('\n').append(text);
            texts[field] = null;
        }

        void commit() {
            if (more != null) {
                texts[field] = more.toString();
                more = null;
            }
        }
    }
}
