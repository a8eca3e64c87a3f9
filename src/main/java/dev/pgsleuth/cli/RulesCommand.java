package dev.pgsleuth.cli;

import dev.pgsleuth.rules.RuleDefinition;
import dev.pgsleuth.rules.RuleSettings;
import dev.pgsleuth.rules.RuleEngine;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgsleuth rules}: the rule catalog with each rule's summary and thresholds. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Lists the rules applied to plans, with their summaries and tunable thresholds.")
public final class RulesCommand implements Callable<Integer> {

    @Option(names = {"-v", "--verbose"}, description = "Also print each rule's problem and fix.")
    boolean verbose;

    @picocli.CommandLine.Mixin
    RulesOption rulesOption = new RulesOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RuleEngine engine = rulesOption.engine();
        Map<String, RuleSettings> enabled = engine.enabledRules();
        for (RuleDefinition rule : engine.catalog().definitions()) {
            RuleSettings settings = enabled.get(rule.id());
            out.printf("%s  [%s, %s]%s%n", rule.id(), rule.category(), rule.severity().reportName(),
                    settings == null ? "  DISABLED by --rules" : "");
            out.printf("  %s%n", rule.summary());
            for (Map.Entry<String, RuleDefinition.Threshold> t : rule.thresholds().entrySet()) {
                double value = settings == null ? t.getValue().defaultValue() : settings.threshold(t.getKey());
                out.printf("    %-26s %-8s %s%n", t.getKey(), number(value), t.getValue().description());
            }
            if (verbose) {
                out.printf("  Problem: %s%n  Fix: %s%n", indent(rule.problem()), indent(rule.fix()));
            }
            out.println();
        }
        out.flush();
        return 0;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String indent(String text) {
        return text.replace("\n", "\n    ");
    }
}
