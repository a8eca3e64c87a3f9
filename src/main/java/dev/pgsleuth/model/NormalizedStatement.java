package dev.pgsleuth.model;

import java.util.List;

/**
 * A statement reduced to its shape: every literal replaced by a {@code $n} placeholder.
 *
 * @param fingerprint 16 lower-case hex digits; equal for statements of the same shape
 * @param text        normalized text with {@code $n} placeholders, whitespace collapsed
 * @param literals    the literal values that were replaced, in order of appearance (strings
 *                    without quotes); empty when the statement used bind parameters only
 */
public record NormalizedStatement(String fingerprint, String text, List<String> literals) {
}
