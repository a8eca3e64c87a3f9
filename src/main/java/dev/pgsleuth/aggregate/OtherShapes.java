package dev.pgsleuth.aggregate;

/**
 * What the shapes folded away by the shape cap add up to.
 *
 * @param shapes      how many shape entries were folded (a shape seen again after folding starts
 *                    a new entry and may be folded again, so this counts foldings)
 * @param count       their executions
 * @param totalMicros their summed durations
 */
public record OtherShapes(long shapes, long count, long totalMicros) {
}
