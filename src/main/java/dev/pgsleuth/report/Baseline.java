package dev.pgsleuth.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The findings of an earlier report, so that a run can tell new findings from known ones
 * ({@code --baseline}, e.g. to fail a CI build only on a new N+1).
 */
public final class Baseline {
    private final Set<String> ids;

    private Baseline(Set<String> ids) {
        this.ids = Set.copyOf(ids);
    }

    /**
     * Reads the finding ids of a report file.
     *
     * @throws IOException when the file cannot be read or is no pgsleuth report
     */
    public static Baseline read(Path reportFile) throws IOException {
        JsonNode root = new ObjectMapper().readTree(reportFile.toFile());
        String schema = root == null ? null : root.path("schema").asText(null);
        if (schema == null || !schema.startsWith("pgsleuth-report/")) {
            throw new IOException(reportFile + " is not a pgsleuth report (no \"schema\": \"pgsleuth-report/…\")");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode f : root.path("findings")) {
            String id = f.path("id").asText(null);
            if (id != null) {
                ids.add(id);
            }
        }
        return new Baseline(ids);
    }

    /** A baseline that knows no finding. */
    public static Baseline empty() {
        return new Baseline(Set.of());
    }

    /** True when the earlier report had a finding with this id. */
    public boolean isKnown(String findingId) {
        return ids.contains(findingId);
    }

    /** The ids of the earlier report's findings. */
    public Set<String> ids() {
        return ids;
    }
}
