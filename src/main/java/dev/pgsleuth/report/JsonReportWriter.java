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
    private final ObjectMapper mapper;
    private final boolean includeGeneratedAt;

    /**
     * @param pretty             indent the output
     * @param includeGeneratedAt false leaves {@code generated_at} out, so that golden files compare
     */
    public JsonReportWriter(boolean pretty, boolean includeGeneratedAt) {
        this.includeGeneratedAt = includeGeneratedAt;
        SimpleModule m = new SimpleModule("pgsleuth-report");
        m.addSerializer(OffsetDateTime.class, new TimeSerializer());
        m.addSerializer(Double.class, new PlainDoubleSerializer(Double.class));
        m.addSerializer(double.class, new PlainDoubleSerializer(double.class));
        this.mapper = JsonMapper.builder()
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
            g.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(v));
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
                g.writeNumber(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());
            }
        }
    }
}
