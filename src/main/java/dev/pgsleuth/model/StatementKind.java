package dev.pgsleuth.model;

/** What a statement does, as far as the analysis cares. */
public enum StatementKind {
    SELECT, INSERT, UPDATE, DELETE, MERGE, COPY, DDL, TRANSACTION, UTILITY, OTHER;

    /** The lower-case name used in the report ({@code "select"}, …). */
    public String reportName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
