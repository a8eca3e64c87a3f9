package dev.pgsleuth.normalize;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;

/**
 * Turns statement text into its shape. {@link #normalize} runs on every statement and must be
 * fast; {@link #shape} runs the SQL parser and is cached per fingerprint.
 */
public interface Normalizer {

    /** Fingerprint and {@code $n} text of one statement; never throws. */
    NormalizedStatement normalize(String sql);

    /** What the SQL parser learns about a normalized statement; cached by fingerprint. */
    QueryShape shape(NormalizedStatement statement);

    /**
     * The {@link QueryShape#kind}, {@link QueryShape#tables} and flags (join, aggregate, limit) of a
     * statement, equal to those of {@link #shape}, without its columns (they may be empty); cached
     * by fingerprint. Cheaper than {@link #shape} where an implementation can tell them without the
     * SQL parser.
     */
    default QueryShape outline(NormalizedStatement statement) {
        return shape(statement);
    }
}
