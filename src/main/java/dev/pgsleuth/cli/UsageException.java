package dev.pgsleuth.cli;

/** A bad combination of options that picocli cannot see by itself; exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
