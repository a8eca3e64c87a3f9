package dev.pgsleuth.parse;

/**
 * What reading one input gave, for the report.
 *
 * @param path     the input's name (file path, or {@code -})
 * @param format   the format read, given or detected
 * @param prefix   the {@code log_line_prefix} used, given or inferred; {@code null} for formats
 *                 without one (csvlog, jsonlog, CNPG)
 * @param bytes    decompressed bytes read
 * @param lines    physical lines read
 * @param unparsed lines skipped, with samples; a damaged compressed stream is one of them
 */
public record ParseResult(String path, LogFormat format, String prefix, long bytes, long lines,
        UnparsedLines unparsed) {
}
