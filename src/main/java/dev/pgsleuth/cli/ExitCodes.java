package dev.pgsleuth.cli;

/** The exit codes of every command, documented in {@code --help} and README. */
final class ExitCodes {
    /** The command did what was asked. */
    static final int OK = 0;
    /** An unexpected internal error; the message says what happened. */
    static final int INTERNAL = 1;
    /** A bad option or argument. */
    static final int USAGE = 2;
    /** An input is missing, unreadable, or in no known log format. */
    static final int INPUT = 3;
    /** {@code --fail-on} matched a finding not in the baseline. */
    static final int FINDINGS = 4;
    /** The database could not be reached. */
    static final int DATABASE = 5;
    /** The statement was refused by the safety guard. */
    static final int REFUSED = 6;
    /** The Java heap ran out: the analysis needs a larger one, or fewer shapes kept. */
    static final int OUT_OF_MEMORY = 7;

    /** The exit-code list picocli prints at the end of every {@code --help}. */
    static final java.util.Map<String, String> HELP = orderedHelp();

    private static java.util.Map<String, String> orderedHelp() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("" + OK, "Done.");
        m.put("" + INTERNAL, "Internal error (a bug; the message says what happened).");
        m.put("" + USAGE, "Bad option or argument.");
        m.put("" + INPUT, "Input missing, unreadable, or in no known log format; or the -o file cannot be written.");
        m.put("" + FINDINGS, "--fail-on matched a finding that is not in the --baseline.");
        m.put("" + DATABASE, "Database unreachable.");
        m.put("" + REFUSED, "Statement refused by the safety guard.");
        m.put("" + OUT_OF_MEMORY, "Out of memory: give Java a larger heap (PGSLEUTH_JAVA_OPTS=-Xmx...) or lower --max-shapes.");
        return java.util.Collections.unmodifiableMap(m);
    }

    private ExitCodes() {
    }
}
