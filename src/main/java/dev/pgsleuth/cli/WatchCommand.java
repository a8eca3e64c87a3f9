package dev.pgsleuth.cli;

import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.detect.nplusone.NPlusOneSettings;
import dev.pgsleuth.daemon.ExplainLoop;
import dev.pgsleuth.daemon.WatchServer;
import dev.pgsleuth.explain.ConnectionSettings;
import dev.pgsleuth.explain.ExplainOptions;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.explain.IndexVerifier;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.pipeline.ExplainStage;
import dev.pgsleuth.rules.RuleEngine;
import dev.pgsleuth.daemon.Watcher;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.source.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgsleuth watch LOG}: follows a server log as a daemon and serves what it finds over HTTP. */
@Command(name = "watch",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Follows a PostgreSQL log across rotations (rename, copytruncate, delete and recreate, the "
                    + "logging collector switching files) and serves the report, findings, Prometheus metrics "
                    + "and health over HTTP. Runs until stopped (SIGTERM saves the state).",
            "Example: pgsleuth watch --listen 127.0.0.1:9187 --state /var/lib/pgsleuth /var/lib/postgresql/17/main/log"
        })
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    RulesOption rulesOption = new RulesOption();

    @Parameters(index = "0", paramLabel = "LOG", arity = "0..1",
            description = "A log file, or a log or data directory (followed through current_logfiles, "
                    + "else its newest *.json, *.csv or *.log file); or 'log:' in --config.")
    Path target;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML file of settings, one key per option without its dashes (listen, state, "
                    + "events, log-format, prefix, show-values, max-shapes, poll-interval, checkpoint-interval, "
                    + "max-line-bytes, db, explain-interval, explain-top, explain-min-ms, explain-timeout, "
                    + "verify-indexes, rules) and 'log' for LOG; options given on the command line win.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9187",
            description = "Address of the HTTP endpoints /report, /findings, /metrics, /health "
                    + "(default: ${DEFAULT-VALUE}; port 0 picks a free one).")
    String listen;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Keep the position and per-shape totals here, saved atomically every "
                    + "--checkpoint-interval and at shutdown; a restart resumes exactly there.")
    Path stateDir;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Append each new finding as a JSON line to FILE (default: standard output).")
    Path eventsFile;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "Force the log format (default: detected from each followed file's first bytes).")
    LogFormat logFormat;

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "The server's log_line_prefix (default: inferred from each followed file).")
    String prefix;

    @Option(names = "--show-values", description = "Keep literal values in examples (masked by default).")
    boolean showValues;

    @picocli.CommandLine.Mixin
    ShapeCapOption shapeCap = new ShapeCapOption();

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "250ms",
            description = "How often the log is checked for new lines (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often the state is saved (default: ${DEFAULT-VALUE}); new findings are looked for at every --poll-interval.")
    String checkpointInterval;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "10485760",
            description = "Longest log line read; longer lines are cut and counted (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @picocli.CommandLine.Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--explain-interval", paramLabel = "DURATION", defaultValue = "5m",
            description = "With --db: time between two EXPLAIN rounds (default: ${DEFAULT-VALUE}).")
    String explainInterval;


    @Override
    public Integer call() throws Exception {
        applyConfig();
        if (target == null) {
            throw new UsageException("watch needs LOG, a log file or directory (or 'log:' in --config)");
        }
        int maxShapes = shapeCap.shapeCap();
        if (maxLineBytes < 1024) {
            throw new UsageException("--max-line-bytes must be at least 1024");
        }
        if (!Files.exists(target)) {
            throw new InputException("cannot follow " + target + ": no such file or directory");
        }
        Duration poll = duration("--poll-interval", pollInterval);
        Duration checkpoint = duration("--checkpoint-interval", checkpointInterval);
        InetSocketAddress address = address(listen);
        ConnectionSettings connection = database.connection(spec);
        Duration explainEvery = null;
        ExplainOptions explainOptions = null;
        RuleEngine rules = null;
        if (connection != null) {
            explainEvery = duration("--explain-interval", explainInterval);
            // each shape at most once per round: the round after it may explain it again
            explainOptions = database.explainOptions()
                    .withRateLimits(explainEvery, ExplainOptions.defaults().maxPerMinute());
            rules = rulesOption.engine();
        }

        Consumer<String> events = eventsSink();
        Watcher watcher;
        try {
            watcher = new Watcher(new Watcher.Settings(target, new AnalysisSettings(logFormat, prefix, showValues,
                    maxShapes, NPlusOneSettings.defaults()), stateDir, maxLineBytes, checkpoint, Main.version(), poll),
                    Clock.systemUTC(), events);
        } catch (IOException e) {
            throw new InputException("cannot read the state in " + stateDir + ": " + e.getMessage(), e);
        }
        WatchServer server;
        try {
            server = new WatchServer(watcher, address);
        } catch (IOException e) {
            throw new UsageException("--listen " + listen + ": cannot bind: " + e.getMessage());
        }
        ExplainLoop explainLoop = null;
        if (connection != null) {
            Explainer explainer = new Explainer(connection, explainOptions, Clock.systemUTC());
            ExplainStage stage = new ExplainStage(explainer, new IndexVerifier(explainer, database.verifyIndexes.mode),
                    rules, new SqlNormalizer(), database.selection(), connection.toString());
            explainLoop = new ExplainLoop(watcher, explainer, stage, explainEvery, connection.toString());
            explainLoop.start();
        }
        ExplainLoop explaining = explainLoop;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watcher.stop();
            if (explaining != null) {
                explaining.close();
            }
            try {
                watcher.close();
            } catch (IOException e) {
                System.err.println("pgsleuth: could not save the state: " + e.getMessage());
            }
            server.close();
        }, "pgsleuth-watch-shutdown"));

        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress bound = server.address();
        err.println("pgsleuth watch: following " + target.toAbsolutePath()
                + ", serving http://" + bound.getHostString() + ":" + bound.getPort()
                + " (/report /findings /metrics /health)"
                + (stateDir == null ? ", no --state (a restart reads from the start)" : ", state in " + stateDir)
                + ", findings to " + (eventsFile == null ? "stdout" : eventsFile)
                + (connection == null ? "" : ", EXPLAIN on " + connection + " every " + explainInterval));
        err.flush();
        // the shutdown hook saves the state; a loop that gave up exits without saving (see Watcher#run)
        return watcher.run(poll) ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    /**
     * Sets every option the command line left out from the {@code --config} file. Each value is
     * parsed by picocli as if it had been given as the option, so types, formats and errors are
     * the same as on the command line.
     */
    void applyConfig() throws IOException {
        if (config == null) {
            return;
        }
        Map<String, Object> yaml;
        try {
            yaml = new YAMLMapper().readValue(config.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UsageException("--config " + config + ": " + e.getMessage());
        }
        if (yaml == null) {
            return;
        }
        ParseResult given = spec.commandLine().getParseResult();
        List<String> args = new ArrayList<>();
        String log = null;
        for (Map.Entry<String, Object> e : yaml.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.equals("log")) {
                log = String.valueOf(value);
                continue;
            }
            OptionSpec option = key.equals("config") || key.equals("help") || key.equals("version")
                    ? null : spec.findOption("--" + key);
            if (option == null) {
                throw new UsageException("--config " + config + ": unknown key '" + key + "'");
            }
            if (value == null || given != null && given.hasMatchedOption(option)) {
                continue;
            }
            if (option.typeInfo().isBoolean()) {
                if (!(value instanceof Boolean b)) {
                    throw new UsageException("--config " + config + ": '" + key + "' takes true or false");
                }
                if (b) {
                    args.add(option.longestName());
                }
            } else {
                args.add(option.longestName() + "=" + value);
            }
        }
        WatchCommand scratch = new WatchCommand();
        CommandLine parser = new CommandLine(scratch);
        parser.setCaseInsensitiveEnumValuesAllowed(spec.commandLine().isCaseInsensitiveEnumValuesAllowed());
        ParseResult fromFile;
        try {
            fromFile = parser.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new UsageException("--config " + config + ": " + e.getMessage());
        }
        for (OptionSpec o : fromFile.matchedOptions()) {
            spec.findOption(o.longestName()).setValue(o.getValue());
        }
        if (target == null && log != null) {
            target = Path.of(log);
        }
    }

    private Consumer<String> eventsSink() {
        if (eventsFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            return line -> {
                out.println(line);
                out.flush();
            };
        }
        return line -> {
            try {
                Files.writeString(eventsFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Duration duration(String option, String text) {
        return DatabaseOptions.durationOption(option, text);
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--listen takes HOST:PORT, e.g. 127.0.0.1:9187, not '" + hostPort + "'");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new UsageException("--listen: '" + hostPort.substring(colon + 1) + "' is not a port");
        }
    }
}
