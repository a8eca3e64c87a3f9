package dev.pgsleuth.model;

/** How much a finding matters, from the time or risk it represents. */
public enum FindingSeverity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    public String reportName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
