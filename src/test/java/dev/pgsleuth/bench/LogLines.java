package dev.pgsleuth.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-side reading of the synthetic logs, deliberately independent of the project's readers
 * (a plain regex for stderr, a quoted-field split for csv) so that it checks the generator, not
 * the readers.
 */
final class LogLines {
    /** One log record: severity, message, and the parts that came with it. */
    record Entry(String severity, String message, String detail, String context, String statement) {
    }

    private static final Pattern STDERR = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC \\[(\\d+)] (?:(.*?)@(.*?)/(.*?) ([0-9a-f]+\\.[0-9a-f]+):(\\d+) )?"
                    + "(LOG|ERROR|FATAL|DETAIL|HINT|CONTEXT|STATEMENT):  (.*)$");
    private static final Pattern DURATION = Pattern.compile(
            "^duration: \\d+\\.\\d{3} ms  (statement|parse|bind|execute)(?: (<unnamed>|S_\\d+))?: ", Pattern.DOTALL);

    private LogLines() {
    }

    /** stderr records; continuation lines (a tab, then text) are joined back with their tab removed. */
    static List<Entry> stderr(String log) {
        List<Entry> entries = new ArrayList<>();
        String[] parts = new String[5];
        String last = null;
        for (String line : log.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '\t') {
                if (last == null) {
                    throw new AssertionError("continuation line first: " + line);
                }
                int i = index(last);
                parts[i] = parts[i] + "\n" + line.substring(1);
                continue;
            }
            Matcher m = STDERR.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a stderr log line: " + line);
            }
            String label = m.group(7);
            if (label.equals("LOG") || label.equals("ERROR") || label.equals("FATAL")) {
                if (parts[0] != null) {
                    entries.add(new Entry(parts[0], parts[1], parts[2], parts[3], parts[4]));
                }
                parts = new String[5];
                parts[0] = label;
                last = "MESSAGE";
                parts[1] = m.group(8);
            } else {
                last = label;
                parts[index(label)] = m.group(8);
            }
        }
        if (parts[0] != null) {
            entries.add(new Entry(parts[0], parts[1], parts[2], parts[3], parts[4]));
        }
        return entries;
    }

    private static int index(String label) {
        return switch (label) {
            case "MESSAGE" -> 1;
            case "DETAIL" -> 2;
            case "CONTEXT" -> 3;
            case "STATEMENT" -> 4;
            default -> throw new AssertionError("unexpected label " + label);
        };
    }

    /** csv records, each a list of fields ({@code null} for an empty unquoted field). */
    static List<List<String>> csv(String log) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < log.length(); i++) {
            char c = log.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < log.length() && log.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',' || c == '\n') {
                fields.add(wasQuoted || field.length() > 0 ? field.toString() : null);
                field.setLength(0);
                wasQuoted = false;
                if (c == '\n') {
                    records.add(fields);
                    fields = new ArrayList<>();
                }
            } else {
                field.append(c);
            }
        }
        if (quoted || !fields.isEmpty() || field.length() > 0) {
            throw new AssertionError("csv ends inside a record");
        }
        return records;
    }

    /** What kind of entry a severity and message are; fails on a message the generator never writes. */
    static EntryKind kind(String severity, String message) {
        if (severity.equals("ERROR")) {
            return EntryKind.ERROR;
        }
        Matcher d = DURATION.matcher(message);
        if (d.lookingAt()) {
            return switch (d.group(1)) {
                case "statement" -> EntryKind.STATEMENT;
                case "parse" -> EntryKind.PARSE;
                case "bind" -> EntryKind.BIND;
                default -> EntryKind.EXECUTE;
            };
        }
        String[][] prefixes = {
            {"connection received: host=", "CONNECTION_RECEIVED"},
            {"connection authenticated: ", "CONNECTION_AUTHENTICATED"},
            {"connection authorized: user=", "CONNECTION_AUTHORIZED"},
            {"disconnection: session time: ", "DISCONNECTION"},
            {"temporary file: path ", "TEMP_FILE"},
            {"checkpoint starting: ", "CHECKPOINT_STARTING"},
            {"checkpoint complete: ", "CHECKPOINT_COMPLETE"},
            {"automatic vacuum of table ", "AUTOVACUUM"},
            {"automatic analyze of table ", "AUTOANALYZE"},
        };
        for (String[] p : prefixes) {
            if (message.startsWith(p[0])) {
                return EntryKind.valueOf(p[1]);
            }
        }
        if (message.matches("process \\d+ still waiting for \\w+ on transaction \\d+ after \\d+\\.\\d{3} ms")) {
            return EntryKind.LOCK_WAIT;
        }
        if (message.matches("process \\d+ acquired \\w+ on transaction \\d+ after \\d+\\.\\d{3} ms")) {
            return EntryKind.LOCK_ACQUIRED;
        }
        throw new AssertionError("unexpected message: " + message);
    }

    /** The statement text of a duration line. */
    static String durationStatement(String message) {
        Matcher d = DURATION.matcher(message);
        if (!d.lookingAt()) {
            throw new AssertionError("no duration line: " + message);
        }
        return message.substring(d.end());
    }
}
