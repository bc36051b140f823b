package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the benchmarks share: the connection flags, progress, the report and the clean-up. */
abstract class Benchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", converter = ConnectionOptions.QosConverter.class,
            description = "QoS of publishes and subscriptions: 0 (default), 1 or 2.")
    Qos qos = Qos.AT_MOST_ONCE;

    @Option(names = {"-c", "--clients"}, paramLabel = "N", description = "Number of clients (default 1).")
    int clients = 1;

    @Option(names = "--json", description = "Print the result as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress line on standard error.")
    boolean noProgress;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between progress lines (default 1).")
    double intervalSeconds = 1;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final List<MqttClient> opened = new ArrayList<>();

    @Override
    public final Integer call() throws Exception {
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1, was " + clients);
        }
        if (!(intervalSeconds > 0)) {
            throw new IllegalArgumentException("--interval must be positive, was " + intervalSeconds);
        }
        try {
            return run();
        } finally {
            for (MqttClient client : opened) {
                client.close();
            }
        }
    }

    /** Runs the benchmark; every client it opened with {@link #connect} is closed afterwards. */
    abstract int run() throws Exception;

    /** Connects one client of the benchmark, identified by {@code role}. */
    final MqttClient connect(String role) throws MqttException {
        MqttClient client = connection.connect(Set.of("connect"), role);
        opened.add(client);
        return client;
    }

    /** {@return whether this benchmark sends messages itself, so that its progress shows them} */
    boolean countsSent() {
        return true;
    }

    /** {@return a topic prefix no other run uses, so that retained or stray messages do not count} */
    static String freshPrefix() {
        return "tether/bench/" + UUID.randomUUID().toString().substring(0, 8);
    }

    final String protocol() {
        return connection.protocol == ProtocolVersion.V5 ? "mqttv5" : "mqttv311";
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Shows progress until {@code done} opens, {@code stop} says so, or a sender or receiver failed.
     *
     * @param inFlight what the progress line shows as in flight
     * @return whether {@code done} opened
     */
    final boolean monitor(BenchStats stats, CountDownLatch done, BooleanSupplier stop, LongSupplier inFlight)
            throws InterruptedException {
        Progress progress = new Progress(err(), Progress.isTerminal());
        long intervalNanos = (long) (intervalSeconds * 1e9);
        LatencyRecorder.Snapshot previous = stats.latency.snapshot();
        long previousReceived = stats.received.get();
        long previousTime = System.nanoTime();
        boolean completed;
        while (true) {
            if (done.await(intervalNanos, TimeUnit.NANOSECONDS)) {
                completed = true;
                break;
            }
            if (stats.failure() != null || stop.getAsBoolean()) {
                completed = done.getCount() == 0;
                break;
            }
            long now = System.nanoTime();
            long received = stats.received.get();
            LatencyRecorder.Snapshot latest = stats.latency.snapshot();
            LatencyRecorder.Snapshot interval = latest.since(previous);
            if (!noProgress) {
                double rate = (received - previousReceived) / ((now - previousTime) / 1e9);
                String sent = countsSent() ? "sent " + stats.sent.get() + "  " : "";
                progress.show(String.format(Locale.ROOT, "%6.1f s  %sreceived %d  %.0f msg/s  in flight %d  p50 %s  p99 %s",
                        (now - stats.startNanos()) / 1e9, sent, received, rate, inFlight.getAsLong(),
                        BenchResult.millis(interval.percentile(50)), BenchResult.millis(interval.percentile(99))));
            }
            previous = latest;
            previousReceived = received;
            previousTime = now;
        }
        progress.finish();
        return completed;
    }

    /** Prints the result as asked, or throws the failure of a sender or receiver. */
    final void report(BenchStats stats, BenchResult result) throws IOException {
        Throwable failure = stats.failure();
        if (failure instanceof MqttException mqtt) {
            throw mqtt;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw new IOException("benchmark failed: " + failure, failure);
        }
        if (json) {
            result.printJson(out());
        } else {
            result.printTable(out());
        }
    }
}
