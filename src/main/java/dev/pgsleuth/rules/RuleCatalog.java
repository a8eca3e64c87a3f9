package dev.pgsleuth.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgsleuth.model.FindingSeverity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rule definitions, read from the {@code rules/<id>.yml} files packaged in the jar.
 */
public final class RuleCatalog {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, RuleDefinition> definitions;

    private RuleCatalog(Map<String, RuleDefinition> definitions) {
        this.definitions = definitions;
    }

    /** Loads {@code rules/<id>.yml} from the class path for each id. */
    public static RuleCatalog load(Collection<String> ids) {
        Map<String, RuleDefinition> out = new LinkedHashMap<>();
        for (String id : ids) {
            String resource = "rules/" + id + ".yml";
            try (InputStream in = RuleCatalog.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("rule " + id + " has no " + resource + " on the class path");
                }
                RuleDefinition def = read(in);
                if (!def.id().equals(id)) {
                    throw new IllegalStateException(resource + " declares id `" + def.id() + "`");
                }
                out.put(id, def);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new RuleCatalog(out);
    }

    /** Reads one rule definition from YAML. */
    public static RuleDefinition read(InputStream yaml) throws IOException {
        JsonNode y = YAML.readTree(yaml);
        Map<String, RuleDefinition.Threshold> thresholds = new LinkedHashMap<>();
        JsonNode t = y.path("thresholds");
        t.fields().forEachRemaining(e -> thresholds.put(e.getKey(), new RuleDefinition.Threshold(
                e.getValue().path("default").asDouble(), e.getValue().path("description").asText())));
        List<String> references = new ArrayList<>();
        y.path("references").forEach(r -> references.add(r.asText()));
        return new RuleDefinition(
                y.path("id").asText(),
                y.path("category").asText(),
                FindingSeverity.valueOf(y.path("severity").asText("medium").toUpperCase(Locale.ROOT)),
                y.path("summary").asText(),
                thresholds,
                y.path("problem").asText().strip(),
                y.path("fix").asText().strip(),
                references);
    }

    /** All definitions, in load order. */
    public List<RuleDefinition> definitions() {
        return List.copyOf(definitions.values());
    }

    /** The definition of a rule, or {@code null}. */
    public RuleDefinition get(String id) {
        return definitions.get(id);
    }
}
