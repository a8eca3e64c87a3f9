package dev.pgsleuth.rules;

import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.QueryShape;
import java.util.Objects;

/**
 * Everything a rule may look at for one statement.
 *
 * @param fingerprint the statement's fingerprint (part of each finding's id)
 * @param sql         the statement text that was explained
 * @param plan        its plan
 * @param shape       what the SQL parser learned about it, or {@code null}
 * @param catalog     the catalog facts of the plan's relations ({@link CatalogFacts#empty()} when unknown)
 */
public record RuleContext(String fingerprint, String sql, Plan plan, QueryShape shape, CatalogFacts catalog) {

    public RuleContext {
        Objects.requireNonNull(plan, "plan");
        fingerprint = fingerprint == null ? "" : fingerprint;
        sql = sql == null ? "" : sql;
        catalog = catalog == null ? CatalogFacts.empty() : catalog;
    }
}
