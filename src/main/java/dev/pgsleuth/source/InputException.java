package dev.pgsleuth.source;

/**
 * An input that cannot be read at all: missing, unreadable, a directory without files, a glob
 * matching nothing, or an I/O failure while reading. Its message is one line, fit for the terminal.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
