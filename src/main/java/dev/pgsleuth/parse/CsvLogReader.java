package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.SourcePosition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads {@code log_destination=csvlog} files of PostgreSQL 8.4 to 17: 22 columns (8.4), 23 (9.0–12,
 * with application_name), 24 (13, backend_type) and 26 (14+, leader_pid and query_id); columns are
 * positional, extra trailing columns are ignored.
 *
 * <p>PostgreSQL quotes text with {@code "} and only doubles embedded quotes, so newlines inside a
 * statement are raw and one record spans many physical lines. The reader therefore works on bytes
 * rather than lines: a well-formed record that lies whole in its buffer is split in place (a search
 * eight bytes at a time for the closing quote of each text column, no copy); anything else (a long
 * record, one cut off by the end of the input, one not well-formed) goes through a byte-level
 * state machine that streams it. A record it cannot read (a stray quote,
 * fewer than 22 columns, an unterminated quote at the end) is counted in {@link UnparsedLines} and
 * skipped.
 */
public final class CsvLogReader implements FormatReader {

    /** Fewest columns of any csvlog version (8.4). */
    static final int MIN_COLUMNS = 22;
    /** Columns beyond these are not read. */
    private static final int MAX_COLUMNS = 40;
    /** A record longer than this is counted as unparsed rather than held in memory. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_SEEN = 3;

    /**
     * A record still incomplete at this size is streamed: each read that does not complete a record
     * makes the in-place split start over, which must not grow costly with long records and short
     * reads.
     */
    private static final int MAX_IN_PLACE = 64 << 10;
    /** {@link Run#inPlace} results besides the index after a record. */
    private static final int NEED_MORE = -1;
    private static final int IRREGULAR = -2;

    private final boolean inPlace;

    public CsvLogReader() {
        this(true);
    }

    /** With {@code inPlace} false every record goes through the state machine (to test one against the other). */
    CsvLogReader(boolean inPlace) {
        this.inPlace = inPlace;
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        Unread unread = (line, text) -> unparsed.add(sourceName, line, text);
        return new Run(sourceName, out, unread, inPlace, new Decoded(), 0, 1).read(in);
    }

    /**
     * Reads with blocks of records parsed on {@code workers}, handed on in input order. A block is
     * cut where a record seems to start ({@link LineBlocks}) and must end at a record's end, which
     * a line of a record's text can foil: then this thread reads that block again joined to the
     * next (the worker's reading of the next started inside a record), until the joined blocks end
     * at a record's end, so the entries are always those of the one-thread read.
     */
    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed,
            ExecutorService workers) throws IOException {
        if (workers == null) {
            return read(in, sourceName, out, unparsed);
        }
        return new Blocks(sourceName, out, unparsed, inPlace, LineBlocks.BLOCK_BYTES).read(in, workers);
    }

    /** A block without a record end within this many bytes is read on the reading thread. */
    private static final int MAX_BLOCK_BYTES = 8 << 20;

    /** One read in blocks on worker threads. */
    static final class Blocks {
        private final String source;
        private final Consumer<LogEntry.Builder> out;
        private final UnparsedLines unparsed;
        private final boolean inPlace;
        private final int blockBytes;
        private final ThreadLocal<MessageForm> forms = ThreadLocal.withInitial(MessageForm::new);
        /** The values decoded so far on each thread: consecutive blocks repeat them as records do. */
        private final ThreadLocal<Decoded> decoded = ThreadLocal.withInitial(Decoded::new);
        /** The blocks of the read under way; a block's bytes go back to it once its records are handed on. */
        private LineBlocks blocks;
        /** Blocks given to the workers and not yet handed on, in input order. */
        private final ArrayDeque<LineBlocks.Block> waiting = new ArrayDeque<>();
        /** The blocks that did not end at a record's end so far, joined, or null. */
        private LineBlocks.Block joined;
        /** The block from which this thread reads on to the end (no record end within 8 MB), or null. */
        private LineBlocks.Block readOnFrom;
        /** Blocks this thread read again, joined to the one before. */
        private int joins;
        private long lines;

        Blocks(String source, Consumer<LogEntry.Builder> out, UnparsedLines unparsed, boolean inPlace, int blockBytes) {
            this.source = source;
            this.out = out;
            this.unparsed = unparsed;
            this.inPlace = inPlace;
            this.blockBytes = blockBytes;
        }

        long read(InputStream in, ExecutorService workers) throws IOException {
            blocks = new LineBlocks(in, blockBytes, MAX_BLOCK_BYTES, true);
            OrderedWork<Parsed> parsed = new OrderedWork<>(workers, LineBlocks.AHEAD, this::handOn);
            try {
                while (readOnFrom == null) {
                    LineBlocks.Block block = blocks.next();
                    if (block == null) {
                        break;
                    }
                    waiting.addLast(block);
                    if (block.overlong()) {
                        parsed.add(Parsed.CUT);
                    } else {
                        parsed.submit(() -> parse(block));
                    }
                }
                if (readOnFrom == null) {
                    parsed.finish();
                }
            } finally {
                parsed.cancel();
            }
            if (readOnFrom == null && joined != null) {
                // the input ended inside a record: read it as the one-thread read does
                readOnFrom = joined;
            }
            if (readOnFrom == null) {
                return lines;
            }
            // the blocks from there on, then the rest of the input, as one stream
            List<InputStream> restOfInput = new ArrayList<>();
            restOfInput.add(new ByteArrayInputStream(readOnFrom.bytes(), 0, readOnFrom.length()));
            for (LineBlocks.Block b : waiting) {
                restOfInput.add(new ByteArrayInputStream(b.bytes(), 0, b.length()));
            }
            restOfInput.add(blocks.rest());
            return new Run(source, out, (line, text) -> unparsed.add(source, line, text), inPlace, new Decoded(),
                    readOnFrom.offset(), lines + 1).read(new SequenceInputStream(Collections.enumeration(restOfInput)));
        }

        /**
         * Runs on a worker: the records of one block, read from its bytes where they are (which
         * stay as they were: the reading thread reads a block again when it did not end at a
         * record's end), with what their messages say about statements.
         */
        private Parsed parse(LineBlocks.Block block) throws IOException {
            ParsedRecords p = new ParsedRecords(block.length() / 256);
            MessageForm form = forms.get();
            Run run = new Run(source, e -> {
                form.readEntry(e);
                p.entry(e, (int) e.position().line(), e.position().offset());
            }, (line, text) -> p.unread((int) line, text), inPlace, decoded.get(), block);
            p.lines = run.read(InputStream.nullInputStream());
            return new Parsed(p, run.openAtEnd);
        }

        private void handOn(Parsed p) {
            if (readOnFrom != null) {
                return;
            }
            LineBlocks.Block block = waiting.pollFirst();
            if (joined != null) {
                // the worker read this block from inside a record: read it again after the one before
                block = join(joined, block);
                joins++;
                p = endless(block) ? Parsed.CUT : parseHere(block);
            }
            joined = null;
            if (!p.cut()) {
                lines = p.records().handOn(source, lines, out, unparsed);
                blocks.reuse(block.bytes());
            } else if (endless(block)) {
                readOnFrom = block;
            } else {
                joined = block;
            }
        }

        /** Whether no record ends within {@code block}'s 8 MB: this thread then reads on from it to the end. */
        private static boolean endless(LineBlocks.Block block) {
            return block.overlong() || block.length() > MAX_BLOCK_BYTES;
        }

        /** Blocks read again on this thread, joined to the block before that did not end at a record's end. */
        int joins() {
            return joins;
        }

        /** Whether this thread read from some block on to the end of the input. */
        boolean readOnToTheEnd() {
            return readOnFrom != null;
        }

        /** {@link #parse} on this thread, of bytes in memory: no read can fail. */
        private Parsed parseHere(LineBlocks.Block block) {
            try {
                return parse(block);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The bytes of {@code a} then {@code b}, which follows it in the input. */
        private static LineBlocks.Block join(LineBlocks.Block a, LineBlocks.Block b) {
            byte[] bytes = Arrays.copyOf(a.bytes(), a.length() + b.length());
            System.arraycopy(b.bytes(), 0, bytes, a.length(), b.length());
            return new LineBlocks.Block(bytes, bytes.length, a.offset(), b.overlong());
        }

        /**
         * The records of one block, and whether it ended inside a record ({@code cut}: then they
         * are not used). Line numbers in a block fit an int: a block holds at most 8 MB.
         */
        private record Parsed(ParsedRecords records, boolean cut) {
            /** A block that does not end at a record's end. */
            static final Parsed CUT = new Parsed(null, true);
        }
    }

    /** Receives a record that is not read: its first line and a sample. */
    private interface Unread {
        void record(long line, String text);
    }

    /** Values a reading decodes again and again (times, users, sessions…), cached; one per thread. */
    private static final class Decoded {
        final RecordTimestamps timestamps = new RecordTimestamps();
        final TextCache texts = new TextCache(StandardCharsets.UTF_8);
        final TextCache sessionIds = new TextCache(StandardCharsets.US_ASCII);
    }

    /** The state of one {@link #read}; the record buffer is reused across records. */
    private static final class Run {
        private final String source;
        private final Consumer<LogEntry.Builder> out;
        private final Unread unparsed;
        private final RecordTimestamps timestamps;

        /**
         * The input: {@code buf[pos, limit)} is unread, {@code buf[0]} is at stream offset
         * {@code base}. Never written but by {@link #fill}, so that a block read in place stays as
         * it was.
         */
        private final byte[] buf;
        private int pos;
        private int limit;
        private long base;
        private boolean eof;
        private byte lastByte = '\n';

        // fields of the current record: in buf (in place) or in rec (state machine)
        private final int[] fieldStart = new int[MAX_COLUMNS];
        private final int[] fieldEnd = new int[MAX_COLUMNS];
        private final boolean[] fieldQuoted = new boolean[MAX_COLUMNS];
        private final boolean[] fieldEscaped = new boolean[MAX_COLUMNS];
        private int fields;

        // the state machine
        private byte[] rec = new byte[8192];
        private int recLen;
        private int curStart;
        private boolean curQuoted;
        private boolean bad;
        private boolean oversized;
        private int state = FIELD_START;
        private boolean recordOpen;

        private long line = 1;
        private long recOffset;
        private long recLine = 1;
        private final TextCache cache;
        private final TextCache sessionIds;

        private final boolean splitInPlace;

        /** The input ended inside a record (read as cut off). */
        private boolean openAtEnd;

        /** A run over input that starts at stream offset {@code offset}, on line {@code firstLine}. */
        Run(String source, Consumer<LogEntry.Builder> out, Unread unparsed, boolean splitInPlace, Decoded decoded,
                long offset, long firstLine) {
            this(source, out, unparsed, splitInPlace, decoded, new byte[4 * MAX_IN_PLACE], 0, offset, firstLine);
        }

        /** A run over the whole input {@code block}, read where it is, without copying it. */
        Run(String source, Consumer<LogEntry.Builder> out, Unread unparsed, boolean splitInPlace, Decoded decoded,
                LineBlocks.Block block) {
            this(source, out, unparsed, splitInPlace, decoded, block.bytes(), block.length(), block.offset(), 1);
            eof = true;
            if (limit > 0) {
                lastByte = buf[limit - 1];
            }
        }

        private Run(String source, Consumer<LogEntry.Builder> out, Unread unparsed, boolean splitInPlace,
                Decoded decoded, byte[] buf, int limit, long offset, long firstLine) {
            this.splitInPlace = splitInPlace;
            this.source = source;
            this.out = out;
            this.unparsed = unparsed;
            this.timestamps = decoded.timestamps;
            this.cache = decoded.texts;
            this.sessionIds = decoded.sessionIds;
            this.buf = buf;
            this.limit = limit;
            this.base = offset;
            this.line = firstLine;
            this.recLine = firstLine;
        }

        long read(InputStream in) throws IOException {
            while (true) {
                if (pos == limit) {
                    if (eof) {
                        break;
                    }
                    fill(in);
                    continue;
                }
                int next = splitInPlace ? inPlace() : IRREGULAR;
                if (next >= 0) {
                    recOffset = base + pos;
                    recLine = line;
                    line += newlines;
                    pos = next;
                    emit(buf);
                    fields = 0; // the state machine counts from there
                } else if (next == NEED_MORE && !eof && limit - pos < MAX_IN_PLACE) {
                    fill(in);
                } else {
                    streamRecord(in);
                }
            }
            return lastByte == '\n' ? line - 1 : line;
        }

        /** Reads more input behind the unread part, first moving that to the front. */
        private void fill(InputStream in) throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                base += pos;
                limit -= pos;
                pos = 0;
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n <= 0) {
                eof = true;
            } else {
                limit += n;
                lastByte = buf[limit - 1];
            }
        }

        /** Newlines of the record {@link #inPlace} has just split, its last one included. */
        private int newlines;

        /**
         * Splits the record at {@code pos} in place, with its fields' bounds in {@code buf}; returns
         * the index after it, {@link #NEED_MORE} when it does not end within the buffer, or
         * {@link #IRREGULAR} when it is anything but a well-formed record of at least
         * {@link #MIN_COLUMNS} columns (those the state machine reads, as it always has).
         */
        private int inPlace() {
            byte[] b = buf;
            int end = limit;
            int i = pos;
            int f = 0;
            int nl = 0;
            while (true) {
                if (i >= end) {
                    return NEED_MORE;
                }
                int start;
                int stop;
                boolean quoted = b[i] == '"';
                boolean escaped = false;
                if (quoted) {
                    start = i + 1;
                    int j = start;
                    while (true) {
                        j = ByteScan.indexOfQuoteOrNewline(b, j, end);
                        if (j + 1 >= end) {
                            return NEED_MORE;
                        }
                        if (b[j] == '\n') {
                            nl++;
                            j++;
                        } else if (b[j + 1] == '"') {
                            escaped = true;
                            j += 2;
                        } else {
                            break;
                        }
                    }
                    stop = j;
                    i = j + 1;
                } else {
                    start = i;
                    byte c;
                    while (i < end && (c = b[i]) != ',' && c != '\n' && c != '"' && c != '\r') {
                        i++;
                    }
                    if (i >= end) {
                        return NEED_MORE;
                    }
                    if (b[i] == '"') {
                        return IRREGULAR;
                    }
                    stop = i;
                }
                field(f++, start, stop, quoted, escaped);
                // i is at the byte after the field
                byte sep = b[i];
                if (sep == ',') {
                    i++;
                    continue;
                }
                if (sep == '\r') {
                    if (i + 1 >= end) {
                        return NEED_MORE;
                    }
                    if (b[i + 1] != '\n') {
                        return IRREGULAR;
                    }
                    i++;
                    sep = '\n';
                }
                if (sep != '\n' || f < MIN_COLUMNS) {
                    return IRREGULAR;
                }
                fields = f;
                newlines = nl + 1;
                return i + 1;
            }
        }

        /** Reads the record at {@code pos} with the state machine, to its end or the end of the input. */
        private void streamRecord(InputStream in) throws IOException {
            while (true) {
                pos = scan(pos, limit);
                if (!recordOpen) {
                    return;
                }
                if (eof) {
                    openAtEnd = true;
                    if (state == QUOTED) {
                        bad = true;
                    }
                    endField();
                    endRecord();
                    return;
                }
                fill(in);
            }
        }

        /** Runs the state machine over {@code buf[i, n)} until a record ends; returns where it stopped. */
        private int scan(int i, int n) {
            while (i < n) {
                byte b = buf[i];
                if (!recordOpen) {
                    recordOpen = true;
                    recOffset = base + i;
                    recLine = line;
                }
                switch (state) {
                    case QUOTED -> {
                        // the bulk of a csvlog is quoted text: copy the run up to the next quote at once
                        int j = ByteScan.indexOfQuoteOrNewline(buf, i, n);
                        while (j < n && buf[j] == '\n') {
                            line++;
                            j = ByteScan.indexOfQuoteOrNewline(buf, j + 1, n);
                        }
                        append(buf, i, j - i);
                        if (j < n) {
                            state = QUOTE_SEEN;
                            j++;
                        }
                        i = j;
                        continue;
                    }
                    case QUOTE_SEEN -> {
                        if (b == '"') {
                            append(buf, i, 1);
                            state = QUOTED;
                        } else if (b == ',') {
                            endField();
                            state = FIELD_START;
                        } else if (b == '\n') {
                            line++;
                            endField();
                            endRecord();
                            return i + 1;
                        } else if (b != '\r') {
                            bad = true;
                            append(buf, i, 1);
                            state = UNQUOTED;
                        }
                    }
                    case FIELD_START -> {
                        curStart = recLen;
                        if (b == '"') {
                            curQuoted = true;
                            state = QUOTED;
                        } else {
                            curQuoted = false;
                            state = UNQUOTED;
                            if (unquoted(buf, i, b)) {
                                return i + 1;
                            }
                        }
                    }
                    default -> {
                        // timestamps, numbers and codes: copy up to the next special byte at once
                        int j = i;
                        while (j < n && !isSpecial(buf[j])) {
                            j++;
                        }
                        if (j > i) {
                            append(buf, i, j - i);
                            i = j;
                            continue;
                        }
                        if (unquoted(buf, i, b)) {
                            return i + 1;
                        }
                    }
                }
                i++;
            }
            return n;
        }

        private static boolean isSpecial(byte b) {
            return b == ',' || b == '\n' || b == '"' || b == '\r';
        }

        /** One byte of an unquoted field; returns whether it ended the record. */
        private boolean unquoted(byte[] buf, int i, byte b) {
            if (b == ',') {
                endField();
                state = FIELD_START;
            } else if (b == '\n') {
                line++;
                endField();
                endRecord();
                return true;
            } else if (b == '"') {
                // PostgreSQL never writes a quote inside an unquoted field
                bad = true;
                append(buf, i, 1);
            } else if (b != '\r') {
                append(buf, i, 1);
            }
            return false;
        }

        private void append(byte[] buf, int from, int len) {
            if (len == 0 || oversized) {
                return;
            }
            if (recLen + len > rec.length) {
                if (recLen + len > MAX_RECORD_BYTES) {
                    oversized = true;
                    bad = true;
                    return;
                }
                byte[] bigger = new byte[Math.max(rec.length * 2, recLen + len)];
                System.arraycopy(rec, 0, bigger, 0, recLen);
                rec = bigger;
            }
            System.arraycopy(buf, from, rec, recLen, len);
            recLen += len;
        }

        /** Notes field {@code f}; fields beyond {@link #MAX_COLUMNS} are only counted. */
        private void field(int f, int start, int end, boolean quoted, boolean escaped) {
            if (f < MAX_COLUMNS) {
                fieldStart[f] = start;
                fieldEnd[f] = end;
                fieldQuoted[f] = quoted;
                fieldEscaped[f] = escaped;
            }
        }

        private void endField() {
            if (state == FIELD_START) {
                curStart = recLen;
                curQuoted = false;
            }
            field(fields++, curStart, recLen, curQuoted, false);
            curStart = recLen;
            curQuoted = false;
        }

        private void endRecord() {
            boolean blank = fields == 1 && recLen == 0 && !fieldQuoted[0];
            if (!blank) {
                if (bad || fields < MIN_COLUMNS) {
                    unparsed.record(recLine, sample());
                } else {
                    emit(rec);
                }
            }
            recLen = 0;
            fields = 0;
            bad = false;
            oversized = false;
            state = FIELD_START;
            recordOpen = false;
            curStart = 0;
            curQuoted = false;
        }

        private String sample() {
            StringBuilder sb = new StringBuilder();
            int shown = Math.min(fields, MAX_COLUMNS);
            for (int f = 0; f < shown && sb.length() < 300; f++) {
                if (f > 0) {
                    sb.append(',');
                }
                sb.append(new String(rec, fieldStart[f], Math.min(fieldEnd[f] - fieldStart[f], 300),
                        StandardCharsets.UTF_8));
            }
            if (oversized) {
                sb.append("… (record over ").append(MAX_RECORD_BYTES).append(" bytes)");
            }
            return sb.toString();
        }

        /** Builds the entry of the record whose fields are in {@code src}: the input, or the state machine's copy. */
        private void emit(byte[] src) {
            int n = Math.min(fields, MAX_COLUMNS);
            for (int f = 0; f < n; f++) {
                if (fieldEscaped[f]) {
                    // the doubled quotes are undone in a copy: the input stays as it was
                    src = copyOfFields(src, n);
                    break;
                }
            }
            for (int f = n - 1; f >= 0; f--) {
                if (fieldEscaped[f]) {
                    unescape(src, f);
                }
            }
            LogEntry.Builder b = LogEntry.builder();
            b.timestamp(timestamps.parse(src, fieldStart[0], fieldEnd[0] - fieldStart[0]));
            b.user(cachedText(src, 1));
            b.database(cachedText(src, 2));
            b.pid((int) number(src, 3));
            b.client(cachedText(src, 4));
            b.sessionId(sessionId(src, 5));
            b.sessionLine(number(src, 6));
            b.severity(severity(src, 11));
            b.sqlState(cachedText(src, 12));
            b.message(text(src, 13));
            b.detail(text(src, 14));
            b.hint(text(src, 15));
            b.internalQuery(text(src, 16));
            b.context(text(src, 18));
            b.statement(text(src, 19));
            if (fields > MIN_COLUMNS) {
                b.application(cachedText(src, 22));
            }
            b.position(new SourcePosition(source, recOffset, recLine));
            out.accept(b);
        }

        /**
         * The first {@code n} fields of the record split in place in {@code src}, copied into the
         * state machine's buffer (free between records), their bounds moved with them.
         */
        private byte[] copyOfFields(byte[] src, int n) {
            int from = fieldStart[0];
            int len = fieldEnd[n - 1] - from;
            if (rec.length < len) {
                rec = new byte[Math.max(rec.length * 2, len)];
            }
            System.arraycopy(src, from, rec, 0, len);
            for (int f = 0; f < n; f++) {
                fieldStart[f] -= from;
                fieldEnd[f] -= from;
            }
            return rec;
        }

        /** Turns the doubled quotes of a field split in place into single ones, in place. */
        private void unescape(byte[] src, int f) {
            int end = fieldEnd[f];
            int r = ByteScan.indexOfQuote(src, fieldStart[f], end) + 1; // keeps the first of the pair
            int w = r;
            while (r < end) {
                r++; // drops its twin
                int q = Math.min(ByteScan.indexOfQuote(src, r, end) + 1, end);
                System.arraycopy(src, r, src, w, q - r);
                w += q - r;
                r = q;
            }
            fieldEnd[f] = w;
            fieldEscaped[f] = false;
        }

        /** A column's text, {@code null} when it is empty (csvlog writes NULL as an empty field). */
        private String text(byte[] src, int f) {
            int len = fieldEnd[f] - fieldStart[f];
            return len == 0 ? null : new String(src, fieldStart[f], len, StandardCharsets.UTF_8);
        }

        /** As {@link #text}, for columns that repeat on every record of a session. */
        private String cachedText(byte[] src, int f) {
            int s = fieldStart[f];
            int e = fieldEnd[f];
            return s == e ? null : cache.decode(src, s, e);
        }

        /** PostgreSQL writes session ids in hex; other bytes are shown as unreadable, not decoded. */
        private String sessionId(byte[] src, int f) {
            int s = fieldStart[f];
            int e = fieldEnd[f];
            return s == e ? null : sessionIds.decode(src, s, e);
        }

        private long number(byte[] src, int f) {
            int s = fieldStart[f];
            int e = fieldEnd[f];
            if (s == e || e - s > 18) {
                return -1;
            }
            long v = 0;
            for (int k = s; k < e; k++) {
                int d = src[k] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        private Severity severity(byte[] src, int f) {
            int s = fieldStart[f];
            int len = fieldEnd[f] - s;
            if (len == 3 && src[s] == 'L' && src[s + 1] == 'O' && src[s + 2] == 'G') {
                return Severity.LOG;
            }
            return len == 0 ? null : Severity.fromLogWord(new String(src, s, len, StandardCharsets.US_ASCII));
        }
    }
}
