package dev.pgsleuth.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgsleuth.report.Report;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pgBadger's test logs (copied from its repository) read end to end: nothing skipped but lines
 * that are not PostgreSQL entries, and statement counts as pgBadger counts them.
 */
class CorpusAnalysisTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,                            format,  unparsed lines (not PostgreSQL entries)
        "light.postgres.log.bz2,            stderr,  0",
        "anonymize.log,                     csvlog,  0",
        "csv_statement_without_duration.log,csvlog,  0",
        "multiline_param.log,               stderr,  0",
        "pg_rawcsv.log,                     stderr,  2",
        "pg_vacuums.json.gz,                jsonlog, 0",
        "stmt_type.log,                     stderr,  0",
        "tempfile_only.log.gz,              stderr,  0",
    })
    void readsEveryEntry(String file, String format, long unparsed) {
        Report r = AnalysisFixtures.analyze(corpus(file));
        assertEquals(format, r.input().sources().get(0).format());
        assertEquals(unparsed, r.input().unparsedLines(), () -> String.join("\n", r.input().unparsedSamples()));
    }

    @Test
    void theOnlySkippedLinesAreWhatPgCtlPrinted() {
        Report r = AnalysisFixtures.analyze(corpus("pg_rawcsv.log"));
        assertEquals(List.of(
                        "src/test/resources/corpus/pg_rawcsv.log:3: pg_ctl: could not start server",
                        "src/test/resources/corpus/pg_rawcsv.log:4: Examine the log output."),
                r.input().unparsedSamples());
    }

    @ParameterizedTest(name = "{0} has {1} statements")
    @CsvSource({
        // pgBadger's own test suite asserts 629 queries for this log.
        "light.postgres.log.bz2, 629",
    })
    void countsStatementsAsPgBadgerDoes(String file, long statements) {
        assertEquals(statements, AnalysisFixtures.analyze(corpus(file)).input().statements());
    }

    private static Path corpus(String name) {
        return Path.of("src/test/resources/corpus", name);
    }
}
