package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code close()} while many virtual threads publish QoS 1/2 messages asynchronously, some of them
 * waiting for room in a small outgoing queue: every future the client handed out completes —
 * acknowledged, or failed with an {@link MqttException} saying the client was closed before the
 * operation completed — within the close timeout and a margin, no publishing thread stays blocked,
 * and every acknowledged message reaches a subscriber.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class CloseUnderLoadBehaviour {

    static final int THREADS = 200;
    static final int PER_THREAD = 100;
    static final int QUEUE = 5_000;
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(200);
    static final Duration MARGIN = Duration.ofSeconds(5);
    static final String NOT_COMPLETED = "closed before the operation completed";

    abstract MqttBroker broker();

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtocolVersion version : ProtocolVersion.values()) {
            cases.add(Arguments.of(version, Qos.AT_LEAST_ONCE));
            cases.add(Arguments.of(version, Qos.EXACTLY_ONCE));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void closeUnderLoadCompletesEveryFutureAndTheAcknowledgedMessagesAreDelivered(ProtocolVersion version, Qos qos)
            throws Exception {
        String topic = ReconnectBehaviour.uniqueTopic("close");
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (MqttClient subscriber = MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version)
                .maxQueuedIncoming(THREADS * PER_THREAD).connect();
             Subscription subscription = subscriber.subscribe(topic, qos)) {
            Thread consumer = Thread.ofVirtual().start(() -> {
                for (MqttMessage message : subscription) {
                    received.add(message.payloadAsString());
                }
            });
            MqttClient publisher = MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version)
                    .maxQueuedOutgoing(QUEUE).closeTimeout(CLOSE_TIMEOUT).connect();
            Map<String, CompletableFuture<PublishResult>> futures = new ConcurrentHashMap<>();
            AtomicInteger rejected = new AtomicInteger();
            List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch enoughAcknowledged = new CountDownLatch(1_000);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < PER_THREAD; i++) {
                            String payload = thread + "-" + i;
                            CompletableFuture<PublishResult> future = publisher.publishAsync(topic, payload, qos);
                            futures.put(payload, future);
                            future.thenRun(enoughAcknowledged::countDown);
                        }
                    } catch (IllegalStateException e) {
                        rejected.incrementAndGet(); // published after close(): refused at once, no future
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }));
            }
            start.countDown();
            assertTrue(enoughAcknowledged.await(60, TimeUnit.SECONDS), "publishes were acknowledged before the close");
            long closeStart = System.nanoTime();
            publisher.close();
            long closeNanos = System.nanoTime() - closeStart;

            long deadline = closeStart + CLOSE_TIMEOUT.plus(MARGIN).toNanos();
            for (Thread thread : threads) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            List<Thread> blocked = threads.stream().filter(Thread::isAlive).toList();
            int acknowledged = 0;
            int notCompleted = 0;
            List<String> pending = new ArrayList<>();
            Set<String> acknowledgedPayloads = new HashSet<>();
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    acknowledged++;
                    acknowledgedPayloads.add(entry.getKey());
                } catch (TimeoutException e) {
                    pending.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof MqttException mqtt && mqtt.getMessage().contains(NOT_COMPLETED)) {
                        notCompleted++;
                    } else {
                        unexpected.add(e.getCause());
                    }
                }
            }
            long waitForDelivery = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            CountDownLatch never = new CountDownLatch(1);
            while (!received.containsAll(acknowledgedPayloads) && System.nanoTime() < waitForDelivery) {
                never.await(10, TimeUnit.MILLISECONDS);
            }
            Set<String> lost = new HashSet<>(acknowledgedPayloads);
            lost.removeAll(received);
            System.out.printf("RESILIENCE: close under load %s %s on %s: %d threads, %d futures: %d acknowledged, %d failed"
                            + " as not completed, %d pending; %d threads refused after close; close took %d ms (timeout"
                            + " %d ms); %d acknowledged not delivered, %d delivered%n",
                    version, qos, broker().name(), THREADS, futures.size(), acknowledged, notCompleted, pending.size(),
                    rejected.get(), TimeUnit.NANOSECONDS.toMillis(closeNanos), CLOSE_TIMEOUT.toMillis(), lost.size(),
                    received.size());
            assertEquals(List.of(), unexpected, "every failure says the client closed before the operation completed");
            assertEquals(List.of(), pending.subList(0, Math.min(10, pending.size())),
                    pending.size() + " futures still pending " + CLOSE_TIMEOUT.plus(MARGIN) + " after close()");
            assertEquals(List.of(), blocked.stream().map(Thread::toString).toList(), "publishing threads still blocked");
            assertTrue(closeNanos < CLOSE_TIMEOUT.plus(MARGIN).toNanos(), "close() returned in time");
            assertTrue(notCompleted > 0, "the close cut flows short");
            assertEquals(Set.of(), lost, "acknowledged messages reached the subscriber");
            subscription.close();
            consumer.join(Duration.ofSeconds(10));
            assertFalse(consumer.isAlive());
        }
    }
}
