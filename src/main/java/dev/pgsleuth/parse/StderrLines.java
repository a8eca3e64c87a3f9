package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;

/**
 * The line handling shared by every format whose text is stderr lines with a
 * {@code log_line_prefix} (stderr itself, syslog, Heroku, Cloud SQL): prefix lines, sibling
 * lines, tab-continued lines, and what is left over.
 *
 * <p>It comes in two halves. {@link LineParser} reads one line on its own (prefix fields,
 * severity, message text): it needs nothing from the lines before, so blocks of lines can be
 * parsed on worker threads. The rest, joining lines into entries, needs the lines in input order
 * and runs on the reading thread: {@link #line} for one line parsed here, {@link #block} for a
 * block parsed elsewhere. Both give the same entries.
 */
final class StderrLines {
    private static final int SAMPLE_BYTES = 400;

    /** Line kinds beyond {@link LogLinePrefix}'s PRIMARY…IGNORED. */
    static final byte EMPTY = 16;
    static final byte CONTINUATION = 17;
    /** Not read: no prefix, or only NUL bytes. */
    static final byte UNREAD = 18;
    static final long NO_KEY = Long.MIN_VALUE;

    private final LineParser parser;
    private final EntryAssembler assembler;
    private final UnparsedLines unparsed;
    private final String source;

    StderrLines(LogLinePrefix prefix, String source, Consumer<LogEntry.Builder> out, UnparsedLines unparsed) {
        this.parser = new LineParser(prefix);
        this.source = source;
        this.unparsed = unparsed;
        this.assembler = new EntryAssembler(source, out);
    }

    /**
     * One physical stderr line, with no defaults from an outer header; {@code ascii} when its
     * bytes are known to be all ASCII (see {@link ByteScan#newline}), which decodes them faster.
     */
    void line(byte[] b, int s, int e, long offset, long lineNo, boolean ascii) {
        line(b, s, e, offset, lineNo, ascii, null, -1, null);
    }

    /**
     * One physical stderr line; {@code timestamp} and {@code pid} (or null / -1) come from an
     * outer header (syslog, Heroku, Cloud SQL) and fill what the prefix does not give, as does
     * {@code database} (Heroku's attachment name), or null.
     */
    void line(byte[] b, int s, int e, long offset, long lineNo, OffsetDateTime timestamp, int pid, String database) {
        line(b, s, e, offset, lineNo, false, timestamp, pid, database);
    }

    private void line(byte[] b, int s, int e, long offset, long lineNo, boolean ascii, OffsetDateTime timestamp,
            int pid, String database) {
        byte kind = parser.parse(b, s, e, ascii, timestamp, pid, database);
        if (kind == EMPTY) {
            return;
        }
        take(kind, parser.text, parser.key(), kind == LogLinePrefix.PRIMARY ? parser.entry() : null,
                parser.parameters, b, s, e, offset, lineNo, pid);
    }

    /** The lines of a block parsed by {@link ParsedBlock#parse}, whose first line is {@code firstLine}. */
    void block(ParsedBlock block, long firstLine) {
        byte[] b = block.bytes;
        for (int i = 0; i < block.size; i++) {
            byte kind = block.kinds[i];
            if (kind != EMPTY) {
                take(kind, block.texts[i], block.keys[i], block.entries[i], block.parameters(i), b, block.starts[i],
                        block.ends[i], block.offset + block.starts[i], firstLine + i, -1);
            }
        }
    }

    private void take(byte kind, String text, long key, LogEntry.Builder entry, List<String> parameters, byte[] b,
            int s, int e, long offset, long lineNo, int outerPid) {
        switch (kind) {
            case CONTINUATION -> {
                if (!assembler.continuation(text, lineNo, outerPid >= 0, outerPid)) {
                    unparsed.add(source, lineNo, "continuation line without an entry: " + sample(b, afterNuls(b, s, e), e));
                }
            }
            case UNREAD -> skipped(lineNo, text);
            case LogLinePrefix.PRIMARY -> assembler.primary(entry, key, text, offset, lineNo);
            default -> {
                if (!assembler.sibling(kind, key, text, parameters, lineNo)) {
                    skipped(lineNo, "line without its message: " + sample(b, afterNuls(b, s, e), e));
                }
            }
        }
    }

    /** True when the line starts with the prefix and a severity word. */
    boolean matches(byte[] b, int s, int e) {
        return parser.matches(b, s, e);
    }

    private static int afterNuls(byte[] b, int s, int e) {
        while (s < e && b[s] == 0) {
            s++;
        }
        return s;
    }

    /** Counts a line that is not read; the continuation lines after it are not read either. */
    void skipped(long lineNo, String text) {
        unparsed.add(source, lineNo, text);
        assembler.interrupt();
    }

    /**
     * Where the line goes on after a leading ISO-8601 time and a space, which CloudWatch exports
     * (RDS, Aurora) put before the PostgreSQL line; -1 when there is none.
     */
    static int afterIsoStamp(byte[] b, int s, int e) {
        if (s + 20 > e || b[s + 10] != 'T' || b[s + 4] != '-' || b[s + 13] != ':') {
            return -1;
        }
        int q = s + 19;
        while (q < e && b[q] != ' ') {
            q++;
        }
        return q + 1 < e ? q + 1 : -1;
    }

    void finish() {
        assembler.finish();
    }

    static String decode(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /**
     * {@link #decode}, for bytes known to be ASCII when {@code ascii}: then copied as they are,
     * without the UTF-8 decoder's own pass over them (a loop of its own under the quick JIT
     * compiler C1, which the launcher uses for most logs: 15% of a one-thread run).
     */
    @SuppressWarnings("deprecation") // the one constructor that takes ASCII bytes without checking them
    static String decode(byte[] b, int s, int e, boolean ascii) {
        return ascii ? new String(b, 0, s, e - s) : decode(b, s, e);
    }

    static String sample(byte[] b, int s, int e) {
        return decode(b, s, Math.min(e, s + SAMPLE_BYTES));
    }

    /** What the count of unread lines shows of a line of {@code maxLine} bytes or more, {@code b[s, e)} kept of it. */
    static String overlong(int maxLine, byte[] b, int s, int e) {
        return "line longer than " + maxLine + " bytes: " + sample(b, s, e);
    }

    /**
     * Reads single lines: which kind of line, its text and prefix fields. Keeps caches of the
     * values it decoded, so each thread needs its own.
     */
    static final class LineParser {
        private final LogLinePrefix prefix;
        /** The prefix with {@code %q} before its session part, for background lines; or null. */
        private final LogLinePrefix sessionStop;
        private final LogLinePrefix.Match m = new LogLinePrefix.Match();
        private final MessageForm form = new MessageForm();
        /** The text of the last line parsed: message, sibling text, continuation, or why it was not read. */
        String text;
        /** The bind values of the last line parsed when it is a {@code DETAIL:  Parameters: …} line, else empty. */
        List<String> parameters = List.of();

        LineParser(LogLinePrefix prefix) {
            this.prefix = prefix;
            String stop = LogLinePrefix.withSessionStop(prefix.text());
            this.sessionStop = stop == null ? null : LogLinePrefix.compile(stop);
        }

        /**
         * Parses one line; returns its kind ({@link LogLinePrefix#PRIMARY} … {@link LogLinePrefix#IGNORED},
         * {@link #EMPTY}, {@link #CONTINUATION} or {@link #UNREAD}) and sets {@link #text}.
         * {@code ascii} when the line's bytes are known to be all ASCII; {@code timestamp},
         * {@code pid} and {@code database} fill what the prefix does not give.
         */
        byte parse(byte[] b, int s, int e, boolean ascii, OffsetDateTime timestamp, int pid, String database) {
            text = null;
            if (e == s) {
                return EMPTY;
            }
            if (b[s] == 0) {
                // a crash can leave blocks of NUL bytes in front of the next line written
                int from = s;
                while (s < e && b[s] == 0) {
                    s++;
                }
                if (s == e) {
                    text = "NUL bytes (" + (e - from) + ")";
                    return UNREAD;
                }
            }
            if (b[s] == '\t') {
                text = decode(b, s + 1, e, ascii);
                return CONTINUATION;
            }
            if (!matches(b, s, e)) {
                text = sample(b, s, e);
                return UNREAD;
            }
            if (m.timestamp == null) {
                m.timestamp = timestamp;
            }
            if (m.pid < 0 && pid >= 0) {
                m.pid = pid;
                if (!m.hasKey) {
                    m.key = pid;
                    m.hasKey = true;
                }
            }
            if (m.database == null) {
                m.database = database;
            }
            text = decode(b, m.messageStart, e, ascii);
            if (m.kind == LogLinePrefix.PRIMARY && !m.severity.isError()) {
                form.classify(text, b, m.messageStart, e);
            }
            parameters = m.kind == LogLinePrefix.DETAIL ? BindParameters.fromDetail(text) : List.of();
            return (byte) m.kind;
        }

        /** The key of the process or session of the last line parsed. */
        long key() {
            return m.hasKey ? m.key : NO_KEY;
        }

        /**
         * A new entry with the prefix fields of the last line parsed, a primary line, and what its
         * message says about a statement (see {@link MessageForm#applyTo}).
         */
        LogEntry.Builder entry() {
            LogEntry.Builder b = LogEntry.builder();
            m.applyTo(b);
            if (!m.severity.isError()) {
                form.applyTo(b);
            }
            return b;
        }

        /** True when the line starts with the prefix and a severity word (then {@link #m} holds it). */
        boolean matches(byte[] b, int s, int e) {
            if (prefix.match(b, s, e, m) || sessionStop != null && sessionStop.match(b, s, e, m)) {
                return true;
            }
            int after = afterIsoStamp(b, s, e);
            return after > 0 && prefix.match(b, after, e, m);
        }
    }

    /** The lines of a block of whole lines, parsed on any thread, to be joined in order by {@link #block}. */
    static final class ParsedBlock {
        final byte[] bytes;
        /** Offset of {@code bytes[0]} in the input. */
        final long offset;
        int size;
        byte[] kinds;
        int[] starts;
        int[] ends;
        long[] keys;
        String[] texts;
        LogEntry.Builder[] entries;
        /** Bind values of DETAIL lines, null for the others. */
        Object[] parameters;

        private ParsedBlock(byte[] bytes, long offset, int capacity) {
            this.bytes = bytes;
            this.offset = offset;
            kinds = new byte[capacity];
            starts = new int[capacity];
            ends = new int[capacity];
            keys = new long[capacity];
            texts = new String[capacity];
            entries = new LogEntry.Builder[capacity];
            parameters = new Object[capacity];
        }

        @SuppressWarnings("unchecked")
        List<String> parameters(int i) {
            Object p = parameters[i];
            return p == null ? List.of() : (List<String>) p;
        }

        /**
         * Parses the lines of {@code bytes[0, length)}: whole lines, each ended by {@code \n} but
         * perhaps the last ({@code \r\n} is a line end too). A line of {@code maxLine} bytes or
         * more is not read, as {@link LineReader} would cut it.
         */
        static ParsedBlock parse(byte[] bytes, int length, long offset, LineParser parser, int maxLine) {
            ParsedBlock block = new ParsedBlock(bytes, offset, Math.max(16, length / 128));
            int s = 0;
            while (s < length) {
                long found = ByteScan.newline(bytes, s, length);
                int nl = (int) found;
                int next = nl < 0 ? length : nl + 1;
                int e = nl < 0 ? length : nl;
                if (e > s && bytes[e - 1] == '\r') {
                    e--;
                }
                if (e - s >= maxLine) {
                    block.add(UNREAD, s, e, StderrLines.overlong(maxLine, bytes, s, e), null, NO_KEY, null);
                } else {
                    byte kind = parser.parse(bytes, s, e, (found & ByteScan.NON_ASCII) == 0, null, -1, null);
                    block.add(kind, s, e, parser.text, kind == LogLinePrefix.PRIMARY ? parser.entry() : null,
                            parser.key(), parser.parameters.isEmpty() ? null : parser.parameters);
                }
                s = next;
            }
            return block;
        }

        /** A block of one line longer than {@code maxLine}, of which {@code bytes[0, length)} were kept. */
        static ParsedBlock overlong(byte[] bytes, int length, long offset, int maxLine) {
            ParsedBlock block = new ParsedBlock(bytes, offset, 1);
            block.add(UNREAD, 0, length, StderrLines.overlong(maxLine, bytes, 0, length), null, NO_KEY, null);
            return block;
        }

        private void add(byte kind, int s, int e, String text, LogEntry.Builder entry, long key,
                List<String> bindValues) {
            if (size == kinds.length) {
                int n = size * 2;
                kinds = java.util.Arrays.copyOf(kinds, n);
                starts = java.util.Arrays.copyOf(starts, n);
                ends = java.util.Arrays.copyOf(ends, n);
                keys = java.util.Arrays.copyOf(keys, n);
                texts = java.util.Arrays.copyOf(texts, n);
                entries = java.util.Arrays.copyOf(entries, n);
                parameters = java.util.Arrays.copyOf(parameters, n);
            }
            kinds[size] = kind;
            starts[size] = s;
            ends[size] = e;
            texts[size] = text;
            keys[size] = key;
            entries[size] = entry;
            parameters[size] = bindValues;
            size++;
        }
    }
}
