/**
 * N+1 detection: the per-row lookups an ORM makes when it expands a relationship lazily, found
 * in the statement stream of each database session, with the one statement and the ORM setting
 * that replace the loop. {@link dev.pgsleuth.detect.nplusone.NPlusOneDetector} is the entry
 * point, {@link dev.pgsleuth.detect.nplusone.NPlusOneSettings} its tuning. How other tools decide
 * (Sentry, prosopite, Bullet, perf-sentinel) and what each ORM's lazy loads look like in SQL is in
 * the project's research notes on N+1 detection.
 */
package dev.pgsleuth.detect.nplusone;
