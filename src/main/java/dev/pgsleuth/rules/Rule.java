package dev.pgsleuth.rules;

import dev.pgsleuth.model.Finding;
import java.util.List;

/**
 * One check of the catalog: a pure function from a statement's context to findings. Its text and
 * thresholds live in {@code rules/<id>.yml}; the class holds only the logic and does no I/O.
 */
public interface Rule {

    /** The kebab-case id, equal to the name of its {@code rules/<id>.yml}. */
    String id();

    /** The findings for this statement, empty when the rule does not apply. */
    List<Finding> check(RuleContext context, RuleSettings settings);
}
