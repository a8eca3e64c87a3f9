package dev.pgsleuth.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pgsleuth.detect.LogEventsSummary;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The JSON report, {@code "schema": "pgsleuth-report/1"}: a public contract described by
 * {@code schema/pgsleuth-report-1.schema.json}. JSON names are the snake_case forms of the
 * component names. Renaming or removing a field needs a new schema version.
 *
 * @param schema       always {@link #SCHEMA}
 * @param generatedAt  when the report was made; {@code null} leaves it out (golden files)
 * @param tool         the program that wrote it
 * @param input        what was read
 * @param shapesCapped true when shapes were folded into {@code other} because of the shape cap
 * @param other        the folded shapes
 * @param queries      statement shapes, by total time descending, then fingerprint
 * @param findings     findings, by severity descending, then rule, then id
 * @param events       server events
 */
public record Report(
        String schema,
        @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime generatedAt,
        Tool tool,
        Input input,
        boolean shapesCapped,
        Other other,
        List<Query> queries,
        List<FindingEntry> findings,
        LogEventsSummary events) {

    /** The value of {@code schema}. */
    public static final String SCHEMA = "pgsleuth-report/1";

    /** This report without its generation time, for comparisons. */
    public Report withoutGeneratedAt() {
        return new Report(schema, null, tool, input, shapesCapped, other, queries, findings, events);
    }

    /**
     * The program that wrote the report.
     *
     * @param name    {@code pgsleuth}
     * @param version its version
     */
    public record Tool(String name, String version) {
    }

    /**
     * What was read.
     *
     * @param sources         the inputs
     * @param entries         log entries read
     * @param statements      statement executions among them
     * @param unparsedLines   lines that could not be read and were skipped
     * @param unparsedSamples the first few of them, as {@code source:line: text}
     * @param firstTimestamp  earliest entry time, or {@code null}
     * @param lastTimestamp   latest entry time, or {@code null}
     */
    public record Input(List<SourceSummary> sources, long entries, long statements, long unparsedLines,
                        List<String> unparsedSamples, OffsetDateTime firstTimestamp,
                        OffsetDateTime lastTimestamp) {
    }

    /**
     * The shapes folded by the shape cap.
     *
     * @param shapeCap most shapes kept
     * @param shapes   foldings
     * @param count    their executions
     * @param totalMs  their summed time
     */
    public record Other(int shapeCap, long shapes, long count, double totalMs) {
    }

    /**
     * One statement shape. Timing fields are {@code null} when no execution had a logged duration.
     *
     * @param fingerprint  fingerprint
     * @param query        normalized text
     * @param kind         statement kind ({@code select}, {@code insert}, …)
     * @param tables       tables involved
     * @param count        executions
     * @param totalMs      summed duration
     * @param meanMs       mean duration
     * @param minMs        shortest
     * @param maxMs        longest
     * @param p50Ms        median
     * @param p95Ms        95th percentile
     * @param p99Ms        99th percentile
     * @param firstSeen    first execution
     * @param lastSeen     last execution
     * @param databases    executions per database
     * @param users        executions per user
     * @param applications executions per application_name
     * @param example      the slowest execution, or {@code null}
     * @param parseMs      time in the parse step
     * @param bindMs       time in the bind step
     */
    public record Query(String fingerprint, String query, String kind, List<String> tables, long count,
                        double totalMs, Double meanMs, Double minMs, Double maxMs, Double p50Ms,
                        Double p95Ms, Double p99Ms, OffsetDateTime firstSeen, OffsetDateTime lastSeen,
                        SortedMap<String, Long> databases, SortedMap<String, Long> users,
                        SortedMap<String, Long> applications, Example example, double parseMs,
                        double bindMs) {
    }

    /**
     * One execution of a shape. Unless values were asked for, {@code statement} is the
     * normalized text and {@code parameters} is left out.
     *
     * @param statement  statement text
     * @param parameters bind parameter values, or {@code null} when masked
     * @param durationMs its duration, or {@code null}
     * @param timestamp  when it ran, or {@code null}
     * @param session    its session (session id, or {@code pid:N})
     */
    public record Example(String statement,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<String> parameters,
                          Double durationMs, OffsetDateTime timestamp, String session) {
    }

    /**
     * One finding, as {@link dev.pgsleuth.model.Finding} holds it.
     *
     * @param id           stable id, for baselines
     * @param rule         rule id
     * @param category     category
     * @param severity     {@code info} … {@code critical}
     * @param title        what is wrong, one sentence
     * @param message      the explanation
     * @param fingerprints shapes involved
     * @param tables       tables involved
     * @param firstSeen    first seen, or {@code null}
     * @param lastSeen     last seen, or {@code null}
     * @param evidence     rule-specific evidence (free-form)
     * @param suggestion   the fix
     */
    public record FindingEntry(String id, String rule, String category, String severity, String title,
                               String message, List<String> fingerprints, List<String> tables,
                               OffsetDateTime firstSeen, OffsetDateTime lastSeen,
                               Map<String, Object> evidence, Suggestion suggestion) {
    }

    /**
     * The fix of a finding.
     *
     * @param text prose
     * @param sql  SQL to paste, or {@code null}
     */
    public record Suggestion(String text, String sql) {
    }
}
