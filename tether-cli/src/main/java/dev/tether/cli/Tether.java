package dev.tether.cli;

import dev.tether.mqtt.MqttException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code tether} command: {@code tether pub}, {@code tether sub} and {@code tether bench}.
 *
 * <p>Exit codes: 0 on success, 1 when the connection or an MQTT operation failed (the reason
 * code is printed), 2 on bad usage (picocli's usage message is printed).
 *
 * <pre>{@code
 * int exit = Tether.commandLine(System.in).execute("pub", "-t", "a/b", "-m", "hello");
 * }</pre>
 */
@Command(name = "tether",
        description = "Publish, subscribe and benchmark against any MQTT 3.1.1 or 5 broker.",
        versionProvider = VersionProvider.class,
        subcommands = {PubCommand.class, SubCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "(pub | sub | bench | help)")
public final class Tether implements Runnable {

    /** Exit code of a connection or protocol failure. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of bad usage, as picocli's. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    private final InputStream stdin;

    private Tether(InputStream stdin) {
        this.stdin = stdin;
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Logging.configure();
        System.exit(commandLine(System.in).execute(args));
    }

    /**
     * The command, ready to {@link CommandLine#execute(String...) execute}; set its out and err
     * writers to capture the output.
     *
     * @param stdin what {@code pub -l}, {@code pub -s} read
     * @return the command line of {@code tether}
     */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine commandLine = new CommandLine(new Tether(Objects.requireNonNull(stdin, "stdin")));
        commandLine.setExecutionExceptionHandler(Tether::failed);
        return commandLine;
    }

    /** Standard input of the command, for the subcommands. */
    InputStream stdin() {
        return stdin;
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing: pub, sub or bench");
    }

    /**
     * Maps an exception out of a command to its exit code: an MQTT failure prints its reason code
     * (exit 1), an argument the client refused prints the usage (exit 2).
     */
    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        Throwable cause = e;
        if (cause instanceof UncheckedIOException unchecked) {
            cause = unchecked.getCause();
        }
        String name = commandLine.getCommandSpec().qualifiedName();
        if (cause instanceof MqttException mqtt) {
            err.println(name + ": " + mqtt.getMessage() + " (reason code " + mqtt.reasonCode().describe() + ")");
            err.flush();
            return EXIT_FAILURE;
        }
        if (cause instanceof IllegalArgumentException bad) {
            err.println(name + ": " + bad.getMessage());
            commandLine.usage(err, commandLine.getColorScheme());
            err.flush();
            return EXIT_USAGE;
        }
        if (cause instanceof IOException io) {
            err.println(name + ": " + io.getMessage());
            err.flush();
            return EXIT_FAILURE;
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            err.flush();
            return EXIT_FAILURE;
        }
        err.println(name + ": " + cause);
        cause.printStackTrace(err);
        err.flush();
        return EXIT_FAILURE;
    }
}
