package dev.pgsleuth.detect.nplusone;

import java.util.LinkedHashMap;
import java.util.Map;

/** The open state of one database session: who it is and its current burst. */
final class Session {
    /** Shapes tracked per burst; a burst with more distinct shapes ignores the new ones. */
    static final int MAX_RUNS_PER_BURST = 512;

    final String key;
    String database;
    String user;
    String application;
    double lastEndMs = Double.NaN;
    /** Statements seen in the current burst (its sequence numbers). */
    long seq;
    /** Fingerprint of the session's last SELECT, kept across bursts for the parent look-back. */
    String lastSelect;
    double lastSelectEndMs = Double.NaN;
    /** Runs of the current burst by fingerprint, in order of first execution. */
    final Map<String, Run> runs = new LinkedHashMap<>();

    Session(String key) {
        this.key = key;
    }

    void resetBurst() {
        seq = 0;
        runs.clear();
    }
}
