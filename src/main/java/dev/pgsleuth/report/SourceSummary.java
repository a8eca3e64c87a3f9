package dev.pgsleuth.report;

/**
 * One input of the analysis, as the report's {@code input.sources[]} lists it.
 *
 * @param path   file path, or {@code -} for stdin
 * @param format log format name ({@code stderr}, {@code csvlog}, …)
 * @param prefix the {@code log_line_prefix} used to read it, or {@code null} when the format has none
 * @param bytes  bytes read (after decompression)
 * @param lines  lines read
 */
public record SourceSummary(String path, String format, String prefix, long bytes, long lines) {
}
