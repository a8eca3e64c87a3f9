package dev.pgsleuth.parse;

/** No log format (or no {@code log_line_prefix}) fits the input; the message is one line. */
public final class UnknownFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownFormatException(String message) {
        super(message);
    }
}
