package dev.pgsleuth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar pgsleuth.jar COMMAND …}. The only place that calls System.exit. */
@Command(name = "pgsleuth",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds what makes a PostgreSQL-backed application slow, from the server log.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code, without exiting (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pgsleuth " + (v == null ? "development build" : v)};
        }
    }
}
