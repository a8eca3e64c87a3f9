package dev.pgsleuth.bench;

/** What a written log entry (one server log record) is, for {@link Summary#count(EntryKind)}. */
public enum EntryKind {
    /** {@code connection received: host=… port=…}. */
    CONNECTION_RECEIVED,
    /** {@code connection authenticated: …}. */
    CONNECTION_AUTHENTICATED,
    /** {@code connection authorized: user=… database=…}. */
    CONNECTION_AUTHORIZED,
    /** {@code disconnection: session time: …}. */
    DISCONNECTION,
    /** {@code duration: … ms  statement: …} (simple protocol). */
    STATEMENT,
    /** {@code duration: … ms  parse <name>: …}. */
    PARSE,
    /** {@code duration: … ms  bind <name>: …}. */
    BIND,
    /** {@code duration: … ms  execute <name>: …}. */
    EXECUTE,
    /** {@code ERROR:} with a STATEMENT part. */
    ERROR,
    /** {@code process … still waiting for …Lock …}. */
    LOCK_WAIT,
    /** {@code process … acquired …Lock …}. */
    LOCK_ACQUIRED,
    /** {@code temporary file: path …, size …} with a STATEMENT part. */
    TEMP_FILE,
    /** {@code checkpoint starting: …}. */
    CHECKPOINT_STARTING,
    /** {@code checkpoint complete: …}. */
    CHECKPOINT_COMPLETE,
    /** {@code automatic vacuum of table …} (a multi-line message). */
    AUTOVACUUM,
    /** {@code automatic analyze of table …} (a multi-line message). */
    AUTOANALYZE
}
