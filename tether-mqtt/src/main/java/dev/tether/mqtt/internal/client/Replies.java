package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The requests of {@link MqttClient#request} waiting for their replies, matched by correlation
 * data. All replies of a client come to one response topic, subscribed once; a reply is handed
 * to its request directly and to no stream. A request that times out is forgotten, so a late
 * reply is dropped (and acknowledged) instead of piling up.
 */
final class Replies {

    /** One request waiting: the correlation data it was sent with and the future of its reply. */
    record Pending(byte[] correlationData, CompletableFuture<MqttMessage> reply) {
    }

    private final Map<ByteBuffer, CompletableFuture<MqttMessage>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicReference<String> topic = new AtomicReference<>();

    /**
     * This client's response topic, unique to it and this client instance. Made on the first
     * request, not with the client: the random part reads the system's secure random source,
     * which cost every connect a system call for a feature most clients never use.
     */
    String topic(String clientIdentifier) {
        String made = topic.get();
        if (made == null) {
            String safeIdentifier = clientIdentifier.replaceAll("[+#/\\u0000]", "_");
            String instance = UUID.randomUUID().toString().substring(0, 13);
            // Two first requests at once must agree on one topic: the first one set wins.
            topic.compareAndSet(null, "tether/replies/" + (safeIdentifier.isEmpty() ? "client" : safeIdentifier) + "/" + instance);
            made = topic.get();
        }
        return made;
    }

    /** True exactly once: for the first request, which subscribes to the response topic. */
    boolean needsSubscription() {
        return subscribed.compareAndSet(false, true);
    }

    /** Whether the response topic was subscribed, so a new session must subscribe to it again. */
    boolean isSubscribed() {
        return subscribed.get();
    }

    void subscriptionFailed() {
        subscribed.set(false);
    }

    Pending expect(Duration timeout) {
        byte[] correlation = ByteBuffer.allocate(Long.BYTES).putLong(sequence.incrementAndGet()).array();
        ByteBuffer key = ByteBuffer.wrap(correlation);
        CompletableFuture<MqttMessage> reply = new CompletableFuture<MqttMessage>()
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        waiting.put(key, reply);
        reply.whenComplete((message, failure) -> waiting.remove(key));
        return new Pending(correlation, reply);
    }

    /** Hands a message on our response topic to its request; false if it is not a reply to us. */
    boolean complete(MqttMessage message) {
        String replyTopic = topic.get();
        if (replyTopic == null || !message.topic().name().equals(replyTopic)) {
            return false;
        }
        byte[] correlation = ApiAccess.api().correlationDataWithoutCopy(message);
        CompletableFuture<MqttMessage> reply = correlation == null ? null : waiting.remove(ByteBuffer.wrap(correlation));
        if (reply != null) {
            reply.complete(message);
        }
        return true;
    }
}
