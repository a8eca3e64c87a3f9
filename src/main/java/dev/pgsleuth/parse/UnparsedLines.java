package dev.pgsleuth.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the lines a reader could not make sense of, and keeps the first few as samples, so that
 * bad input is reported and skipped, never fatal.
 */
public final class UnparsedLines {
    /** How many sample lines a report carries. */
    public static final int MAX_SAMPLES = 10;
    /** Samples are cut to this many characters (a binary file may have no newline at all). */
    public static final int MAX_SAMPLE_LENGTH = 200;

    private long count;
    private final List<String> samples = new ArrayList<>();

    /** Records one unparsed line from {@code source} at 1-based line {@code line}. */
    public void add(String source, long line, String text) {
        count++;
        if (samples.size() < MAX_SAMPLES) {
            String cut = text.length() > MAX_SAMPLE_LENGTH ? text.substring(0, MAX_SAMPLE_LENGTH) + "…" : text;
            samples.add(source + ":" + line + ": " + cut);
        }
    }

    public long count() {
        return count;
    }

    public List<String> samples() {
        return List.copyOf(samples);
    }

    /** Adds another counter's lines to this one (several inputs or threads). */
    public void addAll(UnparsedLines other) {
        count += other.count;
        for (String s : other.samples) {
            if (samples.size() < MAX_SAMPLES) {
                samples.add(s);
            }
        }
    }
}
