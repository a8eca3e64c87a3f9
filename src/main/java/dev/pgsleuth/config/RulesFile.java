package dev.pgsleuth.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pgsleuth.rules.RuleOverrides;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the user's rule overrides from a YAML file, so thresholds can be tuned and rules
 * disabled without recompiling:
 *
 * <pre>
 * disabled: [large-offset]
 * thresholds:
 *   seq-scan-selective-filter:
 *     min-rows-removed: 5000
 * </pre>
 */
public final class RulesFile {

    private RulesFile() {
    }

    /**
     * @throws IOException              when the file cannot be read or is not YAML
     * @throws IllegalArgumentException when a value has the wrong type or a key is unknown
     */
    public static RuleOverrides read(Path file) throws IOException {
        Map<String, Object> map = new YAMLMapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        return map == null ? RuleOverrides.none() : RuleOverrides.fromMap(map);
    }
}
