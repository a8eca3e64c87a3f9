package dev.pgsleuth.cli;

import picocli.CommandLine;

/**
 * {@code Main} with the watch command, for tests that start the daemon as a child JVM before the
 * lead registers {@link WatchCommand} in {@link Main}; then it is {@code Main} itself.
 */
public final class WatchLauncher {
    private WatchLauncher() {
    }

    public static void main(String[] args) {
        CommandLine cl = Main.commandLine();
        if (!cl.getSubcommands().containsKey("watch")) {
            cl.addSubcommand("watch", new WatchCommand());
        }
        System.exit(cl.execute(args));
    }
}
