package dev.pgsleuth.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes a {@link Report} as JSON. The output is deterministic for equal reports: fields in
 * declaration order, maps sorted by key (evidence keeps the order its rule gave), numbers
 * without exponents, times as ISO-8601 with their offset.
 */
public final class JsonReportWriter {
    /** Configured once: a mapper is safe to share, and building one costs more than a small report. */
    private static final ObjectMapper PRETTY = mapper(true);
    private static final ObjectMapper COMPACT = mapper(false);

    private final ObjectMapper mapper;
    private final boolean includeGeneratedAt;

    /**
     * @param pretty             indent the output
     * @param includeGeneratedAt false leaves {@code generated_at} out, so that golden files compare
     */
    public JsonReportWriter(boolean pretty, boolean includeGeneratedAt) {
        this.includeGeneratedAt = includeGeneratedAt;
        this.mapper = pretty ? PRETTY : COMPACT;
    }

    private static ObjectMapper mapper(boolean pretty) {
        SimpleModule m = new SimpleModule("pgsleuth-report");
        m.addSerializer(OffsetDateTime.class, new TimeSerializer());
        m.addSerializer(Double.class, new PlainDoubleSerializer(Double.class));
        m.addSerializer(double.class, new PlainDoubleSerializer(double.class));
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(m)
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
        mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, prepare(report));
    }

    /** Writes {@code report} to {@code out}, which stays open: a large report is never held whole in memory. */
    public void write(Report report, Writer out) throws IOException {
        mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, prepare(report));
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
     * fraction without trailing zeros, {@code Z} or the offset), written directly: a report holds two
     * times per statement shape.
     */
    static String isoTime(OffsetDateTime v) {
        int year = v.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(v);
        }
        StringBuilder b = new StringBuilder(35);
        digits(b, year, 4).append('-');
        digits(b, v.getMonthValue(), 2).append('-');
        digits(b, v.getDayOfMonth(), 2).append('T');
        digits(b, v.getHour(), 2).append(':');
        digits(b, v.getMinute(), 2).append(':');
        digits(b, v.getSecond(), 2);
        int nanos = v.getNano();
        if (nanos != 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            digits(b.append('.'), nanos, width);
        }
        return b.append(v.getOffset().getId()).toString();
    }

    /** {@code value} in {@code width} digits, with leading zeros. */
    private static StringBuilder digits(StringBuilder b, int value, int width) {
        int scale = 1;
        for (int i = 1; i < width; i++) {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10) {
            b.append((char) ('0' + value / scale % 10));
        }
        return b;
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
        String s = Double.toString(v);
        if (s.indexOf('E') >= 0) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
