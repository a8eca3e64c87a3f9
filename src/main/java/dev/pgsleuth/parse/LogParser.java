package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.source.InputException;
import dev.pgsleuth.source.LogInput;
import dev.pgsleuth.source.LogStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Reads one input whatever its format: opens it (decompressing by content), detects the format
 * and prefix unless given, and hands every raw entry to the consumer.
 */
public final class LogParser {
    private final ReaderRegistry registry;

    /** A parser with every reader of the project. */
    public LogParser() {
        this(ReaderRegistry.defaults());
    }

    public LogParser(ReaderRegistry registry) {
        this.registry = registry;
    }

    /**
     * Reads {@code input} to its end.
     *
     * @throws InputException         when the input cannot be opened or read
     * @throws UnknownFormatException when the format or prefix cannot be recognized
     */
    public ParseResult read(LogInput input, ParseOptions options, Consumer<LogEntry.Builder> out) {
        return read(input, options, out, null);
    }

    /**
     * Reads {@code input} to its end like {@link #read(LogInput, ParseOptions, Consumer)}, parsing
     * blocks of lines on {@code workers} (when not null) where the format allows; the entries
     * reach {@code out} in input order on the calling thread either way.
     *
     * @throws InputException         when the input cannot be opened or read
     * @throws UnknownFormatException when the format or prefix cannot be recognized
     */
    public ParseResult read(LogInput input, ParseOptions options, Consumer<LogEntry.Builder> out,
            ExecutorService workers) {
        String name = input.name();
        try (LogStream stream = input.open()) {
            Sniff sniff = Sniff.of(stream);
            UnparsedLines unparsed = new UnparsedLines();
            if (blank(sniff)) {
                if (stream.damage() != null) {
                    unparsed.add(name, 1, stream.damage());
                }
                LogFormat format = options.format() == null ? LogFormat.STDERR : options.format();
                return new ParseResult(name, format, options.prefix(), sniff.length, sniff.length == 0 ? 0 : 1,
                        unparsed);
            }
            LogFormat format = options.format();
            String prefix = options.prefix();
            if (format == null) {
                FormatDetector.Detection d = FormatDetector.detect(sniff, name);
                format = d.format();
                if (prefix == null) {
                    prefix = d.prefix();
                }
            } else if (prefix == null && ReaderRegistry.PREFIXED.contains(format)) {
                prefix = FormatDetector.inferPrefix(format, sniff);
                if (prefix == null) {
                    throw new UnknownFormatException("cannot infer the log_line_prefix of " + name + " ("
                            + format.cliName() + "): none of " + PrefixInference.candidates().size()
                            + " known forms fits; give --prefix");
                }
            }
            if (!ReaderRegistry.PREFIXED.contains(format)) {
                prefix = null;
            }
            FormatReader reader = registry.create(format, prefix);
            Counting counted = new Counting(sniff.replay(stream));
            long lines = reader.read(counted, name, out, unparsed, workers);
            if (stream.damage() != null) {
                unparsed.add(name, lines + 1, stream.damage());
            }
            return new ParseResult(name, format, prefix, counted.count, lines, unparsed);
        } catch (IOException e) {
            throw new InputException("error reading " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean blank(Sniff sniff) {
        for (int i = 0; i < sniff.length; i++) {
            byte c = sniff.bytes[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Counts the decompressed bytes read. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
