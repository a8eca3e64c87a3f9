package dev.pgsleuth.source;

/**
 * How far a followed log has been consumed: the file (its last known path and its identity)
 * and the byte offset just after the last line handed on. What a checkpoint saves.
 *
 * @param path   where the file was last seen
 * @param file   its identity
 * @param offset bytes consumed
 */
public record FollowPosition(String path, FileIdentity file, long offset) {
}
