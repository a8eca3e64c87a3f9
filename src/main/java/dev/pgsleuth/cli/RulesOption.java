package dev.pgsleuth.cli;

import dev.pgsleuth.config.RulesFile;
import dev.pgsleuth.rules.RuleEngine;
import dev.pgsleuth.source.InputException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --rules FILE}: the rule catalog with the user's overrides, shared by the commands that use rules. */
final class RulesOption {

    @Option(names = "--rules", paramLabel = "FILE",
            description = "YAML file overriding rule thresholds and disabling rules "
                    + "(keys: disabled: [id…], thresholds: {id: {name: value}}); see rules/README.md.")
    Path file;

    /** The built-in rules with the overrides of {@code --rules}, if given. */
    RuleEngine engine() {
        if (file == null) {
            return RuleEngine.builtin(dev.pgsleuth.rules.RuleOverrides.none());
        }
        try {
            return RuleEngine.builtin(RulesFile.read(file));
        } catch (IOException e) {
            throw new InputException("cannot read rules file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("rules file " + file + ": " + e.getMessage());
        }
    }
}
