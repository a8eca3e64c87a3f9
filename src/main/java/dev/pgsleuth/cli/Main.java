package dev.pgsleuth.cli;

import dev.pgsleuth.parse.UnknownFormatException;
import dev.pgsleuth.source.InputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar pgsleuth.jar COMMAND …}. The only place that calls System.exit. */
@Command(name = "pgsleuth",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds what makes a PostgreSQL-backed application slow, from the server log.",
        subcommands = {AnalyzeCommand.class, WatchCommand.class, ExplainCommand.class, RulesCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
        System.exit(run(args));
    }

    /**
     * What a thread that dies of an exception prints. A worker out of memory prints nothing, which
     * needs no memory: its task's failure reaches the reading thread, which says it in one line
     * ({@link #run}); the JVM's own handler would print a stack trace, or fail printing it.
     */
    private static void uncaught(Thread t, Throwable e) {
        if (!(e instanceof OutOfMemoryError)) {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace();
        }
    }

    /** Runs the command line and returns the exit code, without exiting (tests call this). */
    public static int run(String... args) {
        try {
            return commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // an Error passes picocli's handler; the heap the failed run held is free again here
            System.err.println("pgsleuth: out of memory (a Java heap of " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB): give it more with PGSLEUTH_JAVA_OPTS=-Xmx..., or keep fewer shapes with --max-shapes");
            return ExitCodes.OUT_OF_MEMORY;
        }
    }

    /** The configured command line: exit codes and one-line error messages for every command. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        documentExitCodes(cl);
        return cl;
    }

    /** Every command without an exit-code list of its own gets the common one. */
    private static void documentExitCodes(CommandLine cl) {
        if (cl.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
            cl.getCommandSpec().usageMessage()
                    .exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(ExitCodes.HELP);
        }
        cl.getSubcommands().values().forEach(Main::documentExitCodes);
    }

    /** Errors a user can cause get one line and their own exit code; nothing prints a stack trace. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof InputException || e instanceof UnknownFormatException) {
            err.println("pgsleuth: " + e.getMessage());
            return ExitCodes.INPUT;
        }
        if (e instanceof UsageException) {
            err.println("pgsleuth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        err.println("pgsleuth: internal error: " + e);
        if (System.getenv("PGSLEUTH_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set PGSLEUTH_DEBUG=1 for the stack trace, and please report it)");
        }
        return ExitCodes.INTERNAL;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pgsleuth " + version()};
        }
    }

    /** The version of this build, as the jar's manifest gives it. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
