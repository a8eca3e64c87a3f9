package dev.pgsleuth.bench;

/**
 * The log record being written, reused for every record: what {@code ereport} hands to the
 * log destinations. Absent optional parts are {@code null}.
 */
final class Rec {
    Proc proc;
    EntryKind kind;
    String severity;
    String sqlState;
    final StringBuilder message = new StringBuilder(512);
    /** The rest of the message, already encoded for the log format (a cached statement text). */
    byte[] messageTail;
    CharSequence detail;
    CharSequence context;
    /** The STATEMENT part (csv query, json statement), not the statement of a duration line. */
    CharSequence statement;
    /** Command tag shown as {@code ps} (csv and json only), {@code null} for no connection. */
    String ps;
    /** Whether a virtual transaction id is shown. */
    boolean vxid;
    long txid;

    Rec start(Proc p, EntryKind k) {
        proc = p;
        kind = k;
        severity = "LOG";
        sqlState = "00000";
        message.setLength(0);
        messageTail = null;
        detail = null;
        context = null;
        statement = null;
        ps = p.client ? "" : null;
        vxid = false;
        txid = 0;
        return this;
    }
}
