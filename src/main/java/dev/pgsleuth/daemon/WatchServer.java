package dev.pgsleuth.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The daemon's HTTP endpoints, on the JDK's built-in server:
 * <ul>
 *   <li>{@code GET /report}: the {@code pgsleuth-report/1} JSON of what this process read;
 *       {@code ?window=1h} (minutes or hours up to 24h) of the last hour by the log's clock;</li>
 *   <li>{@code GET /findings?since=<ISO-8601 time>}: findings first reported since then;</li>
 *   <li>{@code GET /metrics}: Prometheus text exposition (written by the Prometheus client
 *       library): entries read, unparsed and cut lines, rotations, truncations, follower
 *       restarts, lag, and executions and time of the {@value #TOP_SHAPES} shapes with the most
 *       total time since the first run;</li>
 *   <li>{@code GET /health}: ready, lag, newest entry time, and with {@code --db} whether the database is available; status 503 until ready.</li>
 * </ul>
 */
public final class WatchServer implements AutoCloseable {
    static final int TOP_SHAPES = 20;

    private final Watcher watcher;
    private final HttpServer server;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ObjectMapper mapper = new ObjectMapper();

    /** Binds {@code address} (port 0 picks a free one) and starts serving {@code watcher}. */
    public WatchServer(Watcher watcher, InetSocketAddress address) throws IOException {
        this.watcher = watcher;
        registerMetrics();
        this.server = HttpServer.create(address, 0);
        server.createContext("/report", this::report);
        server.createContext("/findings", this::findings);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", this::health);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "pgsleuth-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The address served, with the port actually bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void registerMetrics() {
        counter("pgsleuth_entries_read", "Log entries read by this process", s -> s.entries());
        counter("pgsleuth_unparsed_lines", "Log lines that could not be read", s -> s.unparsed());
        counter("pgsleuth_capped_lines", "Log lines cut at the maximum line length", s -> s.capped());
        counter("pgsleuth_log_rotations", "Times the followed file was replaced by another", s -> s.rotations());
        counter("pgsleuth_log_truncations", "Times the followed file was truncated and read again", s -> s.truncations());
        counter("pgsleuth_tailer_restarts", "Times reading the log failed and was retried", s -> s.restarts());
        counter("pgsleuth_explain_runs", "Statements explained on the database (--db)", s -> s.explainRuns());
        counter("pgsleuth_explain_refusals", "Statements the safety guard kept from the database (--db)",
                s -> s.explainRefusals());
        counter("pgsleuth_explain_unavailable", "Statements not explained because the database was unavailable (--db)",
                s -> s.explainUnavailable());
        GaugeWithCallback.builder().name("pgsleuth_lag_bytes").help("Bytes written to the log but not yet read")
                .callback(cb -> cb.call(watcher.stats().lagBytes())).register(registry);
        CounterWithCallback.builder().name("pgsleuth_shape_executions")
                .help("Executions of the shapes with the most total time, since the first run")
                .labelNames("fingerprint", "query")
                .callback(cb -> topShapes().forEach((fp, t) -> cb.call(t.count(), fp, abbreviate(t.query()))))
                .register(registry);
        CounterWithCallback.builder().name("pgsleuth_shape_time_seconds")
                .help("Total execution time of the shapes with the most total time, since the first run")
                .labelNames("fingerprint", "query")
                .callback(cb -> topShapes().forEach((fp, t) -> cb.call(t.totalMicros() / 1e6, fp, abbreviate(t.query()))))
                .register(registry);
    }

    private interface StatValue {
        long of(Watcher.Stats s);
    }

    private void counter(String name, String help, StatValue value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.of(watcher.stats()))).register(registry);
    }

    private Map<String, WatchState.ShapeTotal> topShapes() {
        Map<String, WatchState.ShapeTotal> top = new LinkedHashMap<>();
        watcher.totals().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, WatchState.ShapeTotal> e) -> -e.getValue().totalMicros())
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP_SHAPES)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private static String abbreviate(String query) {
        if (query == null) {
            return "";
        }
        return query.length() <= 120 ? query : query.substring(0, 117) + "...";
    }

    private void report(HttpExchange x) throws IOException {
        if (notGet(x)) {
            return;
        }
        String window = param(x, "window");
        Report r;
        if (window == null || window.equals("start")) {
            r = watcher.report();
        } else {
            Duration d = window(window);
            if (d == null) {
                send(x, 400, "text/plain", ("window takes minutes or hours up to "
                        + Watcher.LONGEST_WINDOW.toHours() + "h (e.g. 15m, 1h, 24h) or 'start', not '" + window + "'\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            r = watcher.report(d);
        }
        send(x, 200, "application/json", (new JsonReportWriter(false, true).toJson(r) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code 15m}, {@code 1h}, {@code 24h}: a window up to the longest kept, or {@code null}. */
    static Duration window(String text) {
        if (text.length() < 2) {
            return null;
        }
        char unit = text.charAt(text.length() - 1);
        long n;
        try {
            n = Long.parseLong(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (n <= 0 || n > Watcher.LONGEST_WINDOW.toMinutes()) {
            return null;
        }
        Duration d = unit == 'm' ? Duration.ofMinutes(n) : unit == 'h' ? Duration.ofHours(n) : null;
        return d == null || d.compareTo(Watcher.LONGEST_WINDOW) > 0 ? null : d;
    }

    /** The first value of a query parameter, decoded, or {@code null}. */
    private static String param(HttpExchange x, String name) {
        String q = x.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void findings(HttpExchange x) throws IOException {
        if (notGet(x)) {
            return;
        }
        Instant since = Instant.EPOCH;
        String q = x.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                if (pair.startsWith("since=")) {
                    String v = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                    try {
                        since = OffsetDateTime.parse(v).toInstant();
                    } catch (DateTimeParseException e) {
                        send(x, 400, "text/plain", ("since must be an ISO-8601 time with offset, e.g. "
                                + "2024-05-01T12:00:00Z, not '" + v + "'\n").getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                }
            }
        }
        StringBuilder body = new StringBuilder("{\"since\":\"").append(since).append("\",\"findings\":[");
        String sep = "";
        for (Watcher.SeenFinding f : watcher.findingsSince(since)) {
            body.append(sep).append(f.json());
            sep = ",";
        }
        body.append("]}\n");
        send(x, 200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void metrics(HttpExchange x) throws IOException {
        if (notGet(x)) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        writer.write(out, registry.scrape());
        send(x, 200, writer.getContentType(), out.toByteArray());
    }

    private void health(HttpExchange x) throws IOException {
        if (notGet(x)) {
            return;
        }
        Watcher.Health h = watcher.health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", h.ready());
        body.put("file", h.file());
        body.put("lagBytes", h.lagBytes());
        body.put("lastEntryTime", h.lastEntryTime() == null ? null : h.lastEntryTime().toString());
        body.put("lastCheckpoint", h.lastCheckpoint() == null ? null : h.lastCheckpoint().toString());
        if (h.database() != null) {
            // the log analysis goes on without the database: it is reported, not a failed health check
            body.put("database", h.database());
        }
        sendJson(x, h.ready() ? 200 : 503, body);
    }

    private boolean notGet(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("GET")) {
            send(x, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        return false;
    }

    private void sendJson(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, "application/json", (mapper.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
    }
}
