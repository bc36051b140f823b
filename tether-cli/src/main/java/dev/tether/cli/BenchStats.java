package dev.tether.cli;

import dev.tether.mqtt.MqttMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The counters of one benchmark run, updated by its sender and receiver threads. */
final class BenchStats {

    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final LatencyRecorder latency = new LatencyRecorder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long startNanos = System.nanoTime();
    private volatile long firstReceivedNanos;
    private volatile long lastReceivedNanos;

    /** Marks the start of the measured part. */
    void start() {
        startNanos = System.nanoTime();
    }

    long startNanos() {
        return startNanos;
    }

    /** {@return a payload of {@code size} bytes that starts with the time now} */
    static byte[] timestampedPayload(int size) {
        byte[] payload = new byte[size];
        ByteBuffer.wrap(payload).putLong(System.nanoTime());
        return payload;
    }

    /** Counts a message; with {@code timestamped}, records the time since its payload's timestamp. */
    void received(MqttMessage message, boolean timestamped) {
        long now = System.nanoTime();
        if (timestamped && message.payloadSize() >= Long.BYTES) {
            latency.record(now - ByteBuffer.wrap(message.payload()).getLong());
        }
        if (firstReceivedNanos == 0) {
            firstReceivedNanos = now;
        }
        lastReceivedNanos = now;
        bytesReceived.addAndGet(message.payloadSize());
        received.incrementAndGet();
    }

    long firstReceivedNanos() {
        return firstReceivedNanos;
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** Records the first failure; later ones are consequences. */
    void fail(Throwable cause) {
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.io.UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        failure.compareAndSet(null, cause);
    }

    Throwable failure() {
        return failure.get();
    }
}
