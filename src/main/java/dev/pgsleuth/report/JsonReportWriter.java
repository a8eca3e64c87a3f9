package dev.pgsleuth.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes a {@link Report} as JSON. The output is deterministic for equal reports: fields in
 * declaration order, maps sorted by key (evidence keeps the order its rule gave), numbers
 * without exponents, times as ISO-8601 with their offset.
 */
public final class JsonReportWriter {
    /** Configured once: a mapper is safe to share, and building one costs more than a small report. */
    private static final ObjectMapper PRETTY = mapper(true);
    private static final ObjectMapper COMPACT = mapper(false);

    /** Most elements of a long list rendered together on one thread (see {@link ChunkedList}). */
    static final int CHUNK = 256;
    /** Fewest elements rendered together; a list no longer than this is rendered in place. */
    static final int MIN_CHUNK = 16;

    private final ObjectMapper mapper;
    private final boolean includeGeneratedAt;
    private final int threads;

    /**
     * @param pretty             indent the output
     * @param includeGeneratedAt false leaves {@code generated_at} out, so that golden files compare
     */
    public JsonReportWriter(boolean pretty, boolean includeGeneratedAt) {
        this(pretty, includeGeneratedAt, 1);
    }

    /**
     * Like {@link #JsonReportWriter(boolean, boolean)}, rendering the report's queries and findings
     * on {@code threads} threads (the writing one included): the same text, sooner.
     */
    public JsonReportWriter(boolean pretty, boolean includeGeneratedAt, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.includeGeneratedAt = includeGeneratedAt;
        this.mapper = pretty ? PRETTY : COMPACT;
        this.threads = threads;
    }

    private static ObjectMapper mapper(boolean pretty) {
        SimpleModule m = new SimpleModule("pgsleuth-report");
        m.addSerializer(OffsetDateTime.class, new TimeSerializer());
        m.addSerializer(Double.class, new PlainDoubleSerializer(Double.class));
        m.addSerializer(double.class, new PlainDoubleSerializer(double.class));
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(m)
                .addMixIn(Report.class, LongLists.class)
                .defaultPrettyPrinter(new NestedPrettyPrinter(0))
                .configure(SerializationFeature.INDENT_OUTPUT, pretty)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
                .build();
    }

    /** Pretty-printed, with {@code generated_at}. */
    public JsonReportWriter() {
        this(true, true);
    }

    /** Writes {@code report} to {@code out}, which stays open. */
    public void write(Report report, OutputStream out) throws IOException {
        try (Renderers renderers = new Renderers(threads)) {
            writer(renderers).writeValue(out, prepare(report));
        }
    }

    /** Writes {@code report} to {@code out}, which stays open: a large report is never held whole in memory. */
    public void write(Report report, Writer out) throws IOException {
        try (Renderers renderers = new Renderers(threads)) {
            writer(renderers).writeValue(out, prepare(report));
        }
    }

    private ObjectWriter writer(Renderers renderers) {
        ObjectWriter w = mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return renderers.pool == null ? w : w.withAttribute(Renderers.class, renderers);
    }

    /** The report as a JSON string. */
    public String toJson(Report report) {
        try {
            return mapper.writeValueAsString(prepare(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Report prepare(Report r) {
        return includeGeneratedAt ? r : r.withoutGeneratedAt();
    }

    private static final class TimeSerializer extends StdSerializer<OffsetDateTime> {
        private static final long serialVersionUID = 1L;

        TimeSerializer() {
            super(OffsetDateTime.class);
        }

        @Override
        public void serialize(OffsetDateTime v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(isoTime(v));
        }
    }

    /**
     * {@code v} as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it (seconds always, the
     * fraction without trailing zeros, {@code Z} or the offset), written directly into bytes: a
     * report holds three times per statement shape (with a StringBuilder, a sixth of the time a
     * large report took to write).
     */
    static String isoTime(OffsetDateTime v) {
        int year = v.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(v);
        }
        String offset = v.getOffset().getId(); // "Z" or "+hh:mm[:ss]": ASCII
        byte[] b = new byte[29 + offset.length()];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, v.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, v.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, v.getHour(), 2);
        b[13] = ':';
        digits(b, 14, v.getMinute(), 2);
        b[16] = ':';
        digits(b, 17, v.getSecond(), 2);
        int n = 19;
        int nanos = v.getNano();
        if (nanos != 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            b[n++] = '.';
            digits(b, n, nanos, width);
            n += width;
        }
        for (int i = 0; i < offset.length(); i++) {
            b[n++] = (byte) offset.charAt(i);
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** {@code value} in {@code width} digits, with leading zeros, at {@code b[at]}. */
    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** {@code 12345678.9}, never {@code 1.23456789E7}. */
    private static final class PlainDoubleSerializer extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unchecked")
        PlainDoubleSerializer(Class<?> type) {
            super((Class<Double>) type);
        }

        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v.isNaN() || v.isInfinite()) {
                g.writeNull();
            } else {
                g.writeNumber(plain(v));
            }
        }
    }

    /** The shortest decimal that reads back as {@code v}, without exponent or a trailing {@code .0}. */
    static String plain(double v) {
        if (v == 0) {
            return "0";
        }
        String thousandths = thousandths(v);
        if (thousandths != null) {
            return thousandths;
        }
        String s = Double.toString(v);
        if (s.indexOf('E') >= 0) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /**
     * {@code v} written directly when it is a whole number of thousandths below 10^12, as the
     * report's durations are (microseconds in milliseconds), else {@code null}. That decimal reads
     * back as {@code v} (the division is correctly rounded) and is the shortest that does: below
     * 10^12 a double's neighbours lie closer than a thousandth, so no decimal with fewer digits
     * reads back as it. {@link Double#toString} took a tenth of the time a large report took to
     * write.
     */
    private static String thousandths(double v) {
        if (!(Math.abs(v) < 1e12)) {
            return null;
        }
        long t = Math.round(v * 1000);
        if (t / 1000.0 != v) {
            return null;
        }
        StringBuilder b = new StringBuilder(20);
        if (t < 0) {
            b.append('-');
            t = -t;
        }
        b.append(t / 1000);
        int fraction = (int) (t % 1000);
        if (fraction != 0) {
            b.append('.').append((char) ('0' + fraction / 100));
            if (fraction % 100 != 0) {
                b.append((char) ('0' + fraction / 10 % 10));
                if (fraction % 10 != 0) {
                    b.append((char) ('0' + fraction % 10));
                }
            }
        }
        return b.toString();
    }

    /** The report's lists that grow with the log: serialized by {@link ChunkedList}. */
    private abstract static class LongLists {
        @JsonSerialize(using = ChunkedList.class)
        abstract List<Report.Query> queries();

        @JsonSerialize(using = ChunkedList.class)
        abstract List<Report.FindingEntry> findings();
    }

    /**
     * The threads that render chunks of a long list beside the writing one, for one write; none
     * when the writer has one thread.
     */
    private static final class Renderers implements AutoCloseable {
        final ThreadPoolExecutor pool;
        private final int threads;

        Renderers(int threads) {
            this.threads = threads;
            pool = threads == 1 ? null : new ThreadPoolExecutor(threads - 1, threads - 1, 0, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "pgsleuth-report-writer");
                        t.setDaemon(true);
                        return t;
                    });
        }

        /** Chunks rendered ahead of the one being written, at most: what the rendered text may hold. */
        int ahead() {
            return 2 * threads;
        }

        /**
         * The elements of a list of {@code size} rendered together: four chunks a thread at least,
         * so that the threads finish the list at about the same time (the 360 findings of a 100 MB
         * log, in chunks of 256, left one thread three quarters of them: no faster on two threads
         * than on one), within [{@link #MIN_CHUNK}, {@link #CHUNK}].
         */
        int chunk(int size) {
            int perChunk = (size + 4 * threads - 1) / (4 * threads);
            return Math.max(MIN_CHUNK, Math.min(CHUNK, perChunk));
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Writes a list as Jackson would, but when the write has {@link Renderers}, renders its
     * elements in chunks ({@link Renderers#chunk}) on them, at most {@link Renderers#ahead} chunks
     * ahead, each element indented as it would be in place ({@link NestedPrettyPrinter}), and copies
     * the texts in order. The writing thread renders a chunk no renderer has started rather than wait.
     */
    private static final class ChunkedList extends StdSerializer<List<?>> {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unchecked")
        ChunkedList() {
            super((Class<List<?>>) (Class<?>) List.class);
        }

        @Override
        public void serialize(List<?> list, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartArray(list, list.size());
            Renderers renderers = (Renderers) p.getAttribute(Renderers.class);
            if (renderers == null || list.size() <= MIN_CHUNK) {
                for (Object element : list) {
                    p.defaultSerializeValue(element, g);
                }
            } else {
                // read after the array's start, which may have indented further
                PrettyPrinter pp = g.getPrettyPrinter();
                int nesting = pp instanceof NestedPrettyPrinter nested ? nested.nesting() : -1;
                ArrayDeque<FutureTask<byte[]>> rendering = new ArrayDeque<>();
                int chunkSize = renderers.chunk(list.size());
                for (int from = 0; from < list.size(); from += chunkSize) {
                    List<?> chunk = list.subList(from, Math.min(list.size(), from + chunkSize));
                    FutureTask<byte[]> task = new FutureTask<>(() -> render(chunk, nesting));
                    renderers.pool.execute(task);
                    rendering.addLast(task);
                    if (rendering.size() > renderers.ahead()) {
                        copy(g, renderers, rendering.pollFirst());
                    }
                }
                while (!rendering.isEmpty()) {
                    copy(g, renderers, rendering.pollFirst());
                }
            }
            g.writeEndArray();
        }

        /**
         * The elements of {@code chunk} as they stand in the list, separators between them included,
         * indented from {@code nesting} (-1: not indented), in UTF-8: the writing thread then only
         * copies bytes to a stream (chunks rendered as text and encoded there saved 1.5 ms of the
         * 26 a large report took; as bytes, 11).
         */
        private static byte[] render(List<?> chunk, int nesting) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.size() * 1024);
            ObjectMapper mapper = nesting < 0 ? COMPACT : PRETTY;
            try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
                // what the list's own generator writes between two of its elements
                if (nesting < 0) {
                    g.setRootValueSeparator(new SerializedString(","));
                } else {
                    g.setPrettyPrinter(new NestedPrettyPrinter(nesting).withRootSeparator(", "));
                }
                ObjectWriter elements = mapper.writer();
                for (Object element : chunk) {
                    elements.writeValue(g, element);
                }
            }
            return out.toByteArray();
        }

        private static void copy(JsonGenerator g, Renderers renderers, FutureTask<byte[]> task) throws IOException {
            // rather than wait for the chunk, render those no renderer has started, this one first
            if (renderers.pool.remove(task)) {
                task.run();
            }
            while (!task.isDone()) {
                Runnable queued = renderers.pool.getQueue().poll();
                if (queued == null) {
                    break;
                }
                queued.run();
            }
            try {
                byte[] utf8 = task.get();
                if (g.getOutputTarget() instanceof OutputStream) {
                    g.writeRawValue(new RawUtf8(utf8));
                } else {
                    g.writeRawValue(new String(utf8, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while rendering the report", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof Error err) {
                    // out of memory, say: as if thrown here, not a failure to write the file
                    throw err;
                }
                throw new IllegalStateException("rendering the report failed", e.getCause());
            }
        }
    }

    /**
     * Jackson's pretty printer, started at a depth of nesting: an element rendered apart with it
     * is indented as in place. Its depth can be read, so that the element's depth is the list's.
     */
    private static final class NestedPrettyPrinter extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        NestedPrettyPrinter(int nesting) {
            _nesting = nesting;
        }

        private NestedPrettyPrinter(NestedPrettyPrinter base) {
            super(base);
        }

        int nesting() {
            return _nesting;
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new NestedPrettyPrinter(this);
        }
    }

    /**
     * Rendered UTF-8 text that a byte generator copies as it is ({@link JsonGenerator#writeRawValue(SerializableString)}
     * uses only the unquoted UTF-8 forms; the quoted ones are never asked of a raw value).
     */
    private record RawUtf8(byte[] utf8) implements SerializableString {
        @Override
        public String getValue() {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return utf8;
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (utf8.length > buffer.remaining()) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw UTF-8 is copied as bytes");
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw UTF-8 is never quoted");
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw UTF-8 is never quoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw UTF-8 is never quoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw UTF-8 is never quoted");
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw UTF-8 is never quoted");
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw UTF-8 is never quoted");
        }
    }
}
