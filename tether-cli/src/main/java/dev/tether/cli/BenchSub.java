package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Subscription;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether bench sub}: N clients subscribe to a filter and count what arrives from whoever
 * publishes; reports the received rate. It has no latency: the senders' clocks are unknown.
 */
@Command(name = "sub", sortOptions = false, usageHelpAutoWidth = true,
        description = "Subscribe with N clients and report the rate of the messages received.",
        footer = {"", "Example:", "  tether bench sub -h broker.local -t 'sensors/#' --duration 30"})
final class BenchSub extends Benchmark {

    @Option(names = {"-t", "--topic"}, paramLabel = "FILTER", description = "Topic filter (default tether/bench/#).")
    String filter = "tether/bench/#";

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N messages in all (default: no limit).")
    long count;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after SECONDS (default 10 when there is no --count, else no limit).")
    Integer durationSeconds;

    @Override
    boolean countsSent() {
        return false;
    }

    @Override
    int run() throws Exception {
        if (count < 0 || durationSeconds != null && durationSeconds < 1) {
            throw new IllegalArgumentException("--count must not be negative and --duration must be at least 1");
        }
        long duration = durationSeconds != null ? durationSeconds : count == 0 ? 10 : 0;
        BenchStats stats = new BenchStats();
        CountDownLatch enough = new CountDownLatch(1);
        for (int i = 0; i < clients; i++) {
            MqttClient client = connect("sub-" + i);
            Subscription subscription = client.subscribe(filter, qos);
            Thread.ofVirtual().name("bench-subscriber-" + i).start(() -> {
                try {
                    for (MqttMessage message : subscription) {
                        stats.received(message, false);
                        if (count > 0 && stats.received.get() >= count) {
                            enough.countDown();
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    stats.fail(e);
                }
            });
        }
        err().println("subscribed to " + filter + " with " + clients + (clients == 1 ? " client" : " clients"));
        err().flush();
        stats.start();
        long deadline = stats.startNanos() + TimeUnit.SECONDS.toNanos(duration);
        monitor(stats, enough, () -> duration > 0 && System.nanoTime() - deadline >= 0, () -> 0);
        long received = stats.received.get();
        // The rate counts from the first message to the last, not the wait before or after them.
        double seconds = received > 1 ? (stats.lastReceivedNanos() - stats.firstReceivedNanos()) / 1e9
                : Duration.ofNanos(System.nanoTime() - stats.startNanos()).toNanos() / 1e9;
        report(stats, new BenchResult("sub", connection.broker(), protocol(), clients, -1, qos.code(), -1,
                -1, received, stats.bytesReceived.get(), seconds, null));
        return 0;
    }
}
