package dev.tether.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tether bench}: the parent of the three benchmarks. */
@Command(name = "bench", synopsisSubcommandLabel = "(pub | sub | pingpong)",
        description = "Measure throughput and latency against any broker.",
        subcommands = {BenchPub.class, BenchSub.class, BenchPingPong.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "bench needs pub, sub or pingpong");
    }
}
