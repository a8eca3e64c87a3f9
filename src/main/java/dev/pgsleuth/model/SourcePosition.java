package dev.pgsleuth.model;

/**
 * Where an entry starts in its input: the source name (file path, or {@code -} for stdin),
 * the byte offset of its first line, and its 1-based line number.
 */
public record SourcePosition(String source, long offset, long line) {
}
