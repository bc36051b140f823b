package dev.tether.mqtt.client;

import dev.tether.mqtt.MqttMessage;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads an iterable stream such as {@code client.messages()} with a bounded wait, as
 * {@code Subscription.receive(Duration)} does for a subscription. A read that timed out stays
 * pending and is the one the next call waits for, so no message is taken and lost in between.
 */
final class MessageReader {

    private final Iterator<MqttMessage> iterator;
    private CompletableFuture<MqttMessage> pending;

    MessageReader(Iterable<MqttMessage> messages) {
        this.iterator = messages.iterator();
    }

    /**
     * @return the next message, or null if none came within {@code timeout}
     * @throws ExecutionException wrapping what the iterator threw, e.g. at the end of the stream
     */
    MqttMessage next(Duration timeout) throws ExecutionException, InterruptedException {
        if (pending == null) {
            pending = CompletableFuture.supplyAsync(iterator::next, runnable -> Thread.ofVirtual().start(runnable));
        }
        try {
            MqttMessage message = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            pending = null;
            return message;
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            pending = null;
            throw e;
        }
    }
}
