package dev.pgsleuth.model;

/** PostgreSQL message severity, as written in every log format. */
public enum Severity {
    DEBUG, INFO, NOTICE, WARNING, LOG, ERROR, FATAL, PANIC;

    /** ERROR, FATAL or PANIC: what the session was doing failed. */
    public boolean isError() {
        return this == ERROR || this == FATAL || this == PANIC;
    }

    /**
     * Maps the severity word of a log line ({@code LOG}, {@code DEBUG3}, {@code ERROR}, …) to a
     * severity, or {@code null} when the word is not one.
     */
    public static Severity fromLogWord(String word) {
        if (word == null) {
            return null;
        }
        switch (word) {
            case "LOG": return LOG;
            case "ERROR": return ERROR;
            case "FATAL": return FATAL;
            case "PANIC": return PANIC;
            case "WARNING": return WARNING;
            case "NOTICE": return NOTICE;
            case "INFO": return INFO;
            case "DEBUG": case "DEBUG1": case "DEBUG2": case "DEBUG3": case "DEBUG4": case "DEBUG5":
                return DEBUG;
            default: return null;
        }
    }
}
