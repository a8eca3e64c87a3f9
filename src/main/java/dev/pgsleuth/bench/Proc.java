package dev.pgsleuth.bench;

/**
 * One server process as the log shows it: a client backend (with a connection, so the
 * {@code %q}-guarded prefix part, user, database and application are written) or a background
 * process (checkpointer, autovacuum worker).
 */
final class Proc {
    final int pid;
    final long startEpochSecond;
    final byte[] sessionStart;
    final String backendType;
    final boolean client;
    /** Backend id, the first half of a virtual transaction id; 0 for none. */
    final int backendId;
    final String host;
    final int port;
    /** {@code null} while unknown (before authentication). */
    String user;
    String database;
    /** {@code null} or empty prints as {@code [unknown]} in the prefix. */
    String application;
    long localXid;
    /** The session line number last written ({@code %l}, csv session_line_num). */
    long line;

    Proc(int pid, LogClock clock, String backendType, boolean client, int backendId, String host, int port) {
        this.pid = pid;
        this.startEpochSecond = clock.epochSecond();
        this.sessionStart = clock.sessionStartText();
        this.backendType = backendType;
        this.client = client;
        this.backendId = backendId;
        this.host = host;
        this.port = port;
    }
}
