package dev.pgsleuth.parse;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** Which {@link FormatReader} reads which {@link LogFormat}. */
public final class ReaderRegistry {

    /** Makes a reader; {@code prefix} is the {@code log_line_prefix} for formats that have one, else null. */
    @FunctionalInterface
    public interface Factory {
        FormatReader create(String prefix);
    }

    /** The formats whose text is stderr lines behind a {@code log_line_prefix}. */
    static final Set<LogFormat> PREFIXED = Set.of(LogFormat.STDERR, LogFormat.SYSLOG, LogFormat.HEROKU,
            LogFormat.CLOUDSQL);

    private final Map<LogFormat, Factory> factories = new EnumMap<>(LogFormat.class);

    /** Every reader of the project. */
    public static ReaderRegistry defaults() {
        ReaderRegistry r = new ReaderRegistry();
        r.register(LogFormat.STDERR, StderrReader::new);
        r.register(LogFormat.SYSLOG, SyslogReader::new);
        r.register(LogFormat.HEROKU, HerokuReader::new);
        r.register(LogFormat.CLOUDSQL, CloudSqlReader::new);
        r.register(LogFormat.CSVLOG, prefix -> new CsvLogReader());
        r.register(LogFormat.JSONLOG, prefix -> new JsonLogReader());
        r.register(LogFormat.CNPG, prefix -> new CnpgReader());
        return r;
    }

    /** Sets the reader of {@code format}, replacing any. */
    public ReaderRegistry register(LogFormat format, Factory factory) {
        factories.put(format, factory);
        return this;
    }

    /** True when a reader is registered for {@code format}. */
    public boolean supports(LogFormat format) {
        return factories.containsKey(format);
    }

    /** A new reader of {@code format}. */
    public FormatReader create(LogFormat format, String prefix) {
        Factory f = factories.get(format);
        if (f == null) {
            throw new UnknownFormatException("no reader for log format " + format.cliName() + " in this build");
        }
        return f.create(prefix);
    }
}
