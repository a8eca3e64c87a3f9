package dev.pgsleuth;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The package layout of {@code DESIGN.md} ("Layout"), held on the compiled main classes: the
 * pipeline runs one way, {@code model} is shared by all and depends on nothing, {@code cli} is
 * the top that nothing depends on and the only place that exits the JVM.
 */
@AnalyzeClasses(packages = "dev.pgsleuth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String P = "dev.pgsleuth.";

    /**
     * Every top-level package, so that a new one is placed deliberately. {@code daemon} may be
     * absent (it lives on its own branch until merged); {@code pipeline} composes the stages for
     * {@code cli} and {@code daemon}; {@code bench} generates synthetic logs for {@code pgsleuth bench}.
     */
    private static final Set<String> PACKAGES = Set.of("aggregate", "bench", "cli", "config", "daemon", "detect",
            "explain", "model", "normalize", "parse", "pipeline", "report", "rules", "source");

    private static String[] pkgs(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = P + names[i] + "..";
        }
        return out;
    }

    @ArchTest
    static final ArchRule modelDependsOnNothingElseInTheProject = noClasses()
            .that().resideInAPackage(P + "model..")
            .should().dependOnClassesThat(resideInAPackage("dev.pgsleuth..").and(not(resideInAPackage(P + "model.."))))
            .because("model holds the records every stage shares (DESIGN.md, Layout)");

    @ArchTest
    static final ArchRule detectorsAndRulesStayPure = noClasses()
            .that().resideInAnyPackage(pkgs("detect", "rules"))
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("explain", "source", "report", "cli", "daemon"))
            .because("detectors and rules are pure functions over entries, plans and statistics (DESIGN.md, Layout)");

    @ArchTest
    static final ArchRule onlyCliExits = noClasses()
            .that().resideOutsideOfPackage(P + "cli..")
            .should().callMethod(System.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "halt", int.class)
            .because("exit codes are the command line's contract; a library or daemon stage that exits kills its host");

    @ArchTest
    static final ArchRule nothingDependsOnCli = noClasses()
            .that().resideOutsideOfPackage(P + "cli..")
            .should().dependOnClassesThat().resideInAPackage(P + "cli..")
            .because("cli is the top of the program: picocli commands over the stages");

    @ArchTest
    static final ArchRule onlyCliPrints = noClasses()
            .that().resideOutsideOfPackage(P + "cli..")
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("stages report through return values, sinks and slf4j; only the command line owns the terminal");

    @ArchTest
    static final ArchRule pipelineIsComposedOnlyByCliAndDaemon = noClasses()
            .that().resideOutsideOfPackage(P + "pipeline..")
            .and().resideOutsideOfPackage(P + "cli..")
            .and().resideOutsideOfPackage(P + "daemon..")
            .should().dependOnClassesThat().resideInAPackage(P + "pipeline..")
            .because("the one-shot command and the daemon share every stage and differ only in source, sink and loop");

    @ArchTest
    static final ArchRule daemonIsStartedOnlyByCli = noClasses()
            .that().resideOutsideOfPackage(P + "daemon..")
            .and().resideOutsideOfPackage(P + "cli..")
            .should().dependOnClassesThat().resideInAPackage(P + "daemon..")
            .because("the daemon is a loop around the pipeline, not a stage of it");

    @ArchTest
    static final ArchRule sourcesKnowNoStage = noClasses()
            .that().resideInAPackage(P + "source..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("parse", "normalize", "aggregate", "detect",
                    "explain", "rules", "report", "config", "pipeline", "cli", "daemon", "bench"))
            .because("the pipeline runs one way: a source yields bytes and positions (DESIGN.md, The pipeline)");

    @ArchTest
    static final ArchRule readersKnowOnlySourcesAndModel = noClasses()
            .that().resideInAPackage(P + "parse..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("normalize", "aggregate", "detect", "explain",
                    "rules", "report", "config", "pipeline", "cli", "daemon", "bench"))
            .because("the pipeline runs one way: readers turn lines into LogEntry records and know nothing downstream");

    @ArchTest
    static final ArchRule normalizerKnowsOnlyModel = noClasses()
            .that().resideInAPackage(P + "normalize..")
            .should().dependOnClassesThat(resideInAPackage("dev.pgsleuth..")
                    .and(not(resideInAnyPackage(P + "normalize..", P + "model.."))))
            .because("the normalizer is a function from statement text to its shape, shared by every stage");

    @ArchTest
    static final ArchRule aggregatorKnowsNothingDownstream = noClasses()
            .that().resideInAPackage(P + "aggregate..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("source", "parse", "detect", "explain", "rules",
                    "report", "config", "pipeline", "cli", "daemon", "bench"))
            .because("the pipeline runs one way: per-shape statistics come from entries and shapes only");

    @ArchTest
    static final ArchRule explainerDoesNotReport = noClasses()
            .that().resideInAPackage(P + "explain..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("report", "pipeline", "cli", "daemon"))
            .because("the pipeline runs one way: the EXPLAIN stage hands plans and findings on, the report is built after it");

    @ArchTest
    static final ArchRule onlyTheExplainerTalksToADatabase = noClasses()
            .that().resideOutsideOfPackage(P + "explain..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..")
            .because("the Explainer is the only stage that talks to a database, read-only by construction (DESIGN.md, Safety)");

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices()
            .matching(P + "(*)..")
            .should().beFreeOfCycles();

    @Test
    void everyTopLevelPackageIsPlacedAndTheRulesNameRealPackages() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pgsleuth");
        Set<String> present = new TreeSet<>();
        for (JavaClass c : main) {
            String rest = c.getPackageName().substring(Math.min(c.getPackageName().length(), P.length()));
            assertFalse(rest.isEmpty(), c.getName() + " sits in the root package");
            present.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
        }
        assertTrue(PACKAGES.containsAll(present),
                "packages not in this test's list (decide their layer, add a rule): " + diff(present, PACKAGES));
        Set<String> expected = new TreeSet<>(PACKAGES);
        expected.remove("daemon");
        assertTrue(present.containsAll(expected), "packages named by the rules but gone: " + diff(expected, present));
    }

    @Test
    void theRulesCatchWhatTheyForbid() throws ClassNotFoundException {
        // a test class in the model package that exits, prints, uses cli and talks to a database
        JavaClasses bad = new ClassFileImporter().importClasses(Class.forName(P + "model.ArchitectureViolation"));
        for (ArchRule rule : new ArchRule[] {modelDependsOnNothingElseInTheProject, onlyCliExits, nothingDependsOnCli,
            onlyCliPrints, onlyTheExplainerTalksToADatabase}) {
            assertTrue(rule.evaluate(bad).hasViolation(), rule.getDescription());
        }
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
