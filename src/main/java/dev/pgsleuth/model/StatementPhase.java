package dev.pgsleuth.model;

/**
 * Which protocol step a logged statement line describes. A statement is counted once, on its
 * {@link #SIMPLE} or {@link #EXECUTE} line; parse and bind lines only add their own time.
 */
public enum StatementPhase {
    /** Simple protocol: {@code statement: …}. */
    SIMPLE,
    /** Extended protocol {@code parse <name>: …}. */
    PARSE,
    /** Extended protocol {@code bind <name>: …}. */
    BIND,
    /** Extended protocol {@code execute <name>: …} or {@code execute fetch from …}. */
    EXECUTE
}
