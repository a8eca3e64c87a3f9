package dev.pgsleuth.parse;

/**
 * How to read a log: a forced format and a forced {@code log_line_prefix}; {@code null} for
 * either means detect it.
 */
public record ParseOptions(LogFormat format, String prefix) {
    /** Detect both format and prefix. */
    public static ParseOptions auto() {
        return new ParseOptions(null, null);
    }
}
