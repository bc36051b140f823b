package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether bench pingpong}: each of N clients publishes a ping to {@code PREFIX/ping/i} and
 * waits for the responder, subscribed to {@code PREFIX/ping/+}, to echo it on
 * {@code PREFIX/pong/i}; the round trip is measured, one ping in flight per client.
 */
@Command(name = "pingpong", sortOptions = false, usageHelpAutoWidth = true,
        description = "N clients send pings that a responder echoes back on another topic; measures round trips.",
        footer = {"", "Example:", "  tether bench pingpong -L mqtts://broker.example -c 2 -n 1000 -q 1"})
final class BenchPingPong extends Benchmark {

    @Option(names = {"-n", "--messages"}, paramLabel = "M", description = "Round trips per client (default 1000).")
    long messages = 1000;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", description = "Payload size, at least 8 (default 64).")
    int size = 64;

    @Option(names = "--rate", paramLabel = "MSG/S", description = "Total ping rate limit in messages per second (default: none).")
    double rate;

    @Option(names = {"-t", "--topic"}, paramLabel = "PREFIX", description = "Topic prefix (default: a fresh one).")
    String prefix;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for one pong (default 10).")
    int timeoutSeconds = 10;

    @Override
    int run() throws Exception {
        if (messages < 1 || size < Long.BYTES || timeoutSeconds < 1) {
            throw new IllegalArgumentException("--messages and --timeout must be at least 1, --size at least 8");
        }
        String topics = prefix == null ? freshPrefix() : prefix;
        BenchStats stats = new BenchStats();

        MqttClient responder = connect("responder");
        Subscription pings = responder.subscribe(topics + "/ping/+", qos);
        Thread.ofVirtual().name("bench-responder").start(() -> {
            try {
                for (MqttMessage ping : pings) {
                    String name = ping.topic().toString();
                    String pong = topics + "/pong/" + name.substring(name.lastIndexOf('/') + 1);
                    responder.publishAsync(pong, ping.payload(), qos).whenComplete((result, e) -> {
                        if (e != null) {
                            stats.fail(e);
                        }
                    });
                }
            } catch (RuntimeException e) {
                stats.fail(e);
            }
        });
        List<Subscription> pongs = new ArrayList<>();
        List<MqttClient> pingers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            MqttClient client = connect("ping-" + i);
            pingers.add(client);
            pongs.add(client.subscribe(topics + "/pong/" + i, qos));
        }

        AtomicLong waiting = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(clients);
        stats.start();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            MqttClient client = pingers.get(i);
            Subscription pong = pongs.get(i);
            String ping = topics + "/ping/" + i;
            senders.add(Thread.ofVirtual().name("bench-pinger-" + i).start(() -> {
                try {
                    pingAll(client, ping, pong, stats, waiting);
                    finished.countDown();
                } catch (InterruptedException e) {
                    // Stopped by the run below after a failure.
                } catch (Exception e) {
                    stats.fail(e);
                }
            }));
        }
        boolean complete = monitor(stats, finished, () -> false, waiting::get);
        for (Thread sender : senders) {
            sender.interrupt();
            sender.join();
        }
        long end = complete ? stats.lastReceivedNanos() : System.nanoTime();
        report(stats, new BenchResult("pingpong", connection.broker(), protocol(), clients, messages, qos.code(), size,
                stats.sent.get(), stats.received.get(), stats.bytesReceived.get(), (end - stats.startNanos()) / 1e9,
                stats.latency.snapshot()));
        return 0;
    }

    private void pingAll(MqttClient client, String topic, Subscription pong, BenchStats stats, AtomicLong waiting)
            throws Exception {
        Pacer pacer = new Pacer(rate / clients);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        for (long n = 0; n < messages && stats.failure() == null; n++) {
            pacer.await();
            waiting.incrementAndGet();
            client.publishAsync(topic, BenchStats.timestampedPayload(size), qos).whenComplete((result, e) -> {
                if (e != null) {
                    stats.fail(e);
                }
            });
            stats.sent.incrementAndGet();
            MqttMessage echo = pong.receive(timeout);
            waiting.decrementAndGet();
            if (echo == null) {
                throw new IOException("no pong on " + pong.filters().get(0) + " within " + timeoutSeconds + " s");
            }
            stats.received(echo, true);
        }
    }
}
