package dev.tether.examples;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last message received on one topic, kept by a virtual thread that iterates a
 * {@link Subscription} and stores each payload — the "iterate, don't register callbacks" way of
 * holding state that request handlers read.
 *
 * <pre>{@code
 * try (LatestReading temperature = LatestReading.follow(client, "temperature/outside")) {
 *     temperature.latest().ifPresent(System.out::println);
 * }
 * }</pre>
 */
final class LatestReading implements AutoCloseable {

    /** Closing the subscription ends the iteration at once; this only bounds a reader that misbehaves. */
    private static final Duration READER_END_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Subscription subscription;
    private final Thread reader;
    private final AtomicReference<String> latest = new AtomicReference<>();
    // Replaced by a fresh future each time a reading is stored, so each caller waits for the next one.
    private final AtomicReference<CompletableFuture<String>> next = new AtomicReference<>(new CompletableFuture<>());
    private volatile UncheckedIOException failure;

    private LatestReading(String topic, Subscription subscription) {
        this.topic = topic;
        this.subscription = subscription;
        this.reader = Thread.ofVirtual().name("latest-reading " + topic).unstarted(this::read);
    }

    /**
     * Subscribes to {@code topic} with QoS 1 and starts the virtual thread that keeps its last
     * payload.
     *
     * @param client the shared client; it stays open when this is closed
     * @param topic the topic (or filter) to follow
     * @return the running reading
     * @throws MqttException if the broker refused the subscription
     */
    static LatestReading follow(MqttClient client, String topic) throws MqttException {
        LatestReading reading = new LatestReading(topic, client.subscribe(topic, Qos.AT_LEAST_ONCE));
        reading.reader.start();
        return reading;
    }

    private void read() {
        try {
            // Blocks between messages; ends normally when the subscription or the client is closed.
            for (MqttMessage message : subscription) {
                String value = message.payloadAsString();
                if (value.isEmpty()) {
                    // An empty retained message only clears the broker's retained value: not a reading.
                    continue;
                }
                latest.set(value);
                next.getAndSet(new CompletableFuture<>()).complete(value);
            }
        } catch (UncheckedIOException e) {
            // The connection is lost for good (the client gave up reconnecting). Nothing will arrive
            // any more, so say so instead of serving the last value as if it were current.
            failure = e;
            System.err.println("No more readings from " + topic + ": " + e.getMessage());
        } finally {
            // Whoever still waits for a reading would wait in vain.
            next.get().completeExceptionally(new IllegalStateException("no more readings from " + topic));
        }
    }

    /** {@return the last payload received, empty before the first one} */
    Optional<String> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** {@return why readings stopped coming when the connection was lost for good, else empty} */
    Optional<UncheckedIOException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * {@return a future completed with the next payload once it is stored, so that
     * {@link #latest()} already returns it; failed when no more readings will come}
     */
    CompletableFuture<String> next() {
        return next.get();
    }

    /** {@return whether the reader thread has ended} */
    boolean readerEnded() {
        return !reader.isAlive();
    }

    /** Unsubscribes, which ends the reader's iteration, and waits for the reader to end. */
    @Override
    public void close() {
        subscription.close();
        try {
            if (!reader.join(READER_END_TIMEOUT)) {
                System.err.println("The reader of " + topic + " did not end within " + READER_END_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
