package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether bench pub}: N clients publish M messages each, as fast as allowed; one subscriber
 * counts them and measures the time from publish to delivery (the payload carries the time it was
 * sent, so both ends run in this process).
 */
@Command(name = "pub", sortOptions = false, usageHelpAutoWidth = true,
        description = "N clients publish M messages each; a subscriber counts them and measures publish-to-delivery latency.",
        footer = {"", "Example:", "  tether bench pub -h broker.local -c 4 -n 10000 -q 1 -s 256 --rate 5000"})
final class BenchPub extends Benchmark {

    @Option(names = {"-n", "--messages"}, paramLabel = "M", description = "Messages per client (default 1000).")
    long messages = 1000;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", description = "Payload size, at least 8 (default 64).")
    int size = 64;

    @Option(names = "--rate", paramLabel = "MSG/S", description = "Total publish rate limit in messages per second (default: none).")
    double rate;

    @Option(names = "--max-inflight", paramLabel = "N", description = "Publishes per client awaiting completion at once (default 100).")
    int maxInFlight = 100;

    @Option(names = {"-t", "--topic"}, paramLabel = "PREFIX", description = "Topic prefix; client i publishes to PREFIX/i (default: a fresh one).")
    String prefix;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "How long to wait for the last messages once all are published (default 10).")
    int timeoutSeconds = 10;

    @Override
    int run() throws Exception {
        if (messages < 1 || size < Long.BYTES || maxInFlight < 1 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("--messages, --max-inflight and --timeout must be at least 1, --size at least 8");
        }
        String topics = prefix == null ? freshPrefix() : prefix;
        long expected = clients * messages;
        BenchStats stats = new BenchStats();

        Subscription subscription = connect("sub").subscribe(topics + "/+", qos);
        List<MqttClient> publishers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            publishers.add(connect("pub-" + i));
        }
        CountDownLatch allReceived = new CountDownLatch(1);
        Thread.ofVirtual().name("bench-subscriber").start(() -> {
            try {
                for (MqttMessage message : subscription) {
                    stats.received(message, true);
                    if (stats.received.get() >= expected) {
                        allReceived.countDown();
                        return;
                    }
                }
            } catch (RuntimeException e) {
                stats.fail(e.getCause() != null ? e.getCause() : e);
            }
        });

        stats.start();
        CountDownLatch published = new CountDownLatch(clients);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            MqttClient client = publishers.get(i);
            String topic = topics + "/" + i;
            senders.add(Thread.ofVirtual().name("bench-publisher-" + i).start(() -> {
                try {
                    publishAll(client, topic, stats);
                } catch (InterruptedException e) {
                    // Stopped by the run below: it gave up waiting, or a failure ended it.
                } finally {
                    published.countDown();
                }
            }));
        }
        long[] quietSince = {0};
        long[] lastCount = {-1};
        boolean complete = monitor(stats, allReceived, () -> {
            if (published.getCount() > 0) {
                return false;
            }
            long now = System.nanoTime();
            long count = stats.received.get();
            if (count != lastCount[0]) {
                lastCount[0] = count;
                quietSince[0] = now;
            }
            return now - quietSince[0] >= TimeUnit.SECONDS.toNanos(timeoutSeconds);
        }, () -> stats.sent.get() - stats.received.get());
        if (complete) {
            published.await(timeoutSeconds, TimeUnit.SECONDS); // the last acknowledgements may follow the deliveries
        }
        for (Thread sender : senders) {
            sender.interrupt();
            sender.join();
        }
        long end = complete ? stats.lastReceivedNanos() : System.nanoTime();
        report(stats, new BenchResult("pub", connection.broker(), protocol(), clients, messages, qos.code(), size,
                stats.sent.get(), stats.received.get(), stats.bytesReceived.get(), (end - stats.startNanos()) / 1e9,
                stats.latency.snapshot()));
        if (!complete && qos != Qos.AT_MOST_ONCE) {
            err().println("tether bench pub: " + (expected - stats.received.get()) + " of " + expected + " messages at QoS "
                    + qos.code() + " did not arrive within " + timeoutSeconds + " s");
            err().flush();
            return Tether.EXIT_FAILURE;
        }
        return 0;
    }

    private void publishAll(MqttClient client, String topic, BenchStats stats) throws InterruptedException {
        Pacer pacer = new Pacer(rate / clients);
        Semaphore window = new Semaphore(maxInFlight);
        for (long n = 0; n < messages && stats.failure() == null; n++) {
            pacer.await();
            window.acquire();
            client.publishAsync(topic, BenchStats.timestampedPayload(size), qos).whenComplete((result, e) -> {
                window.release();
                if (e != null) {
                    stats.fail(e);
                }
            });
            stats.sent.incrementAndGet();
        }
        if (!window.tryAcquire(maxInFlight, timeoutSeconds, TimeUnit.SECONDS)) {
            stats.fail(new IOException("publishes to " + topic + " not completed within " + timeoutSeconds + " s"));
        }
    }
}
