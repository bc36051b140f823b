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
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import dev.tether.mqtt.testkit.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Neither case depends on how fast the broker is. When the close must cut flows short, the
 * publisher talks through a {@link FaultProxy} that goes silent before the second half of the
 * publishes: none of them can be acknowledged, the queue fills and the publishing threads block,
 * and only then does the test close. When everything must drain, the test closes once every
 * publish was handed to the client, with a close timeout far longer than the broker needs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class CloseUnderLoadBehaviour {

    static final int THREADS = 200;
    static final int PER_THREAD = 100;
    /** How many of each thread's publishes go out (and are acknowledged) before the proxy goes silent. */
    static final int BEFORE_SILENCE = 10;
    static final int QUEUE = 5_000;
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(200);
    static final Duration DRAIN_CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * What close() may take beyond its timeout: its deadline for a stuck write (a second at least)
     * and, on a machine whose cores are busy with other work, the scheduling of 200 publishing
     * threads woken at once (seen: 5.6 s in all with a load average of 17 on 2 cores). A close that
     * hung on a write would never return: that is what the bound catches.
     */
    static final Duration MARGIN = Duration.ofSeconds(20);
    static final Duration WAIT = Duration.ofSeconds(60);
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
    void closeCutsTheFlowsStillInFlightAtItsDeadlineAndTheAcknowledgedMessagesAreDelivered(ProtocolVersion version,
                                                                                             Qos qos) throws Exception {
        String topic = ReconnectBehaviour.uniqueTopic("close-cut");
        try (Receiver receiver = new Receiver(broker(), version, topic, qos);
             FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient publisher = MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).protocol(version)
                     .maxQueuedOutgoing(QUEUE).closeTimeout(CLOSE_TIMEOUT).connect()) {
            Publishers publishers = new Publishers(publisher, topic, qos);
            assertTrue(publishers.firstPartPublished.await(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the first part was handed to the client");
            CompletableFuture.allOf(publishers.futures.values().toArray(CompletableFuture[]::new))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            int acknowledgedBeforeSilence = publishers.futures.size();

            proxy.blackhole(true); // from here on nothing the publisher sends can be acknowledged
            publishers.publishTheRest();
            assertTrue(Poll.until(WAIT, () -> publisher.metrics().queuedOutgoing() == QUEUE),
                    "the outgoing queue filled up: " + publisher.metrics());

            Outcome outcome = publishers.close(publisher, CLOSE_TIMEOUT);
            receiver.awaitDelivered(outcome.acknowledgedPayloads);
            outcome.print(version, qos, broker(), receiver);

            outcome.assertEveryFutureCompletedAndNoThreadBlocked(CLOSE_TIMEOUT);
            assertEquals(acknowledgedBeforeSilence, outcome.acknowledgedPayloads.size(),
                    "exactly what was acknowledged before the silence is acknowledged");
            assertTrue(outcome.notCompleted >= QUEUE, "the close cut every queued flow short: " + outcome.notCompleted);
            assertEquals(Set.of(), receiver.lost(outcome.acknowledgedPayloads), "acknowledged messages reached the subscriber");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void closeWaitsForThePublishesThatDrainInTime(ProtocolVersion version, Qos qos) throws Exception {
        String topic = ReconnectBehaviour.uniqueTopic("close-drain");
        try (Receiver receiver = new Receiver(broker(), version, topic, qos);
             MqttClient publisher = MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version)
                     .maxQueuedOutgoing(QUEUE).closeTimeout(DRAIN_CLOSE_TIMEOUT).connect()) {
            Publishers publishers = new Publishers(publisher, topic, qos);
            publishers.publishTheRest();
            assertTrue(publishers.allPublished.await(WAIT.toSeconds(), TimeUnit.SECONDS), "every publish was handed over");

            Outcome outcome = publishers.close(publisher, DRAIN_CLOSE_TIMEOUT);
            receiver.awaitDelivered(outcome.acknowledgedPayloads);
            outcome.print(version, qos, broker(), receiver);

            outcome.assertEveryFutureCompletedAndNoThreadBlocked(DRAIN_CLOSE_TIMEOUT);
            assertEquals(0, outcome.notCompleted, "no flow was cut short");
            assertEquals(THREADS * PER_THREAD, outcome.acknowledgedPayloads.size(), "every publish was acknowledged");
            assertEquals(Set.of(), receiver.lost(outcome.acknowledgedPayloads), "acknowledged messages reached the subscriber");
        }
    }

    /** A subscriber that collects every payload of the topic on a virtual thread. */
    static final class Receiver implements AutoCloseable {
        final Set<String> received = ConcurrentHashMap.newKeySet();
        private final MqttClient client;
        private final Subscription subscription;
        private final Thread consumer;

        Receiver(MqttBroker broker, ProtocolVersion version, String topic, Qos qos) throws Exception {
            client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).protocol(version)
                    .maxQueuedIncoming(THREADS * PER_THREAD).connect();
            subscription = client.subscribe(topic, qos);
            consumer = Thread.ofVirtual().start(() -> {
                for (MqttMessage message : subscription) {
                    received.add(message.payloadAsString());
                }
            });
        }

        /** Waits (bounded) until every acknowledged payload arrived; the assertion comes later. */
        void awaitDelivered(Set<String> acknowledged) throws InterruptedException {
            Poll.until(WAIT, () -> received.containsAll(acknowledged));
        }

        Set<String> lost(Set<String> acknowledged) {
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(received);
            return lost;
        }

        @Override
        public void close() throws Exception {
            subscription.close();
            consumer.join(Duration.ofSeconds(10));
            assertFalse(consumer.isAlive(), "the consumer ended with its subscription");
            client.close();
        }
    }

    /**
     * {@link #THREADS} virtual threads, each publishing {@link #BEFORE_SILENCE} messages at once and
     * the rest of its {@link #PER_THREAD} when {@link #publishTheRest()} says so.
     */
    static final class Publishers {
        final Map<String, CompletableFuture<PublishResult>> futures = new ConcurrentHashMap<>();
        final CountDownLatch firstPartPublished = new CountDownLatch(THREADS);
        final CountDownLatch allPublished = new CountDownLatch(THREADS);
        final AtomicInteger rejected = new AtomicInteger();
        final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        private final CountDownLatch rest = new CountDownLatch(1);
        private final List<Thread> threads = new ArrayList<>();

        Publishers(MqttClient publisher, String topic, Qos qos) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < PER_THREAD; i++) {
                            if (i == BEFORE_SILENCE) {
                                firstPartPublished.countDown();
                                rest.await();
                            }
                            String payload = thread + "-" + i;
                            futures.put(payload, publisher.publishAsync(topic, payload, qos));
                        }
                        allPublished.countDown();
                    } catch (IllegalStateException e) {
                        rejected.incrementAndGet(); // published after close(): refused at once, no future
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }));
            }
        }

        void publishTheRest() {
            rest.countDown();
        }

        /** Closes the publisher (the test's own close of it is then a no-op) and sorts every future by how it completed, waiting the timeout and a margin. */
        Outcome close(MqttClient publisher, Duration closeTimeout) throws InterruptedException {
            long closeStart = System.nanoTime();
            publisher.close();
            long closeNanos = System.nanoTime() - closeStart;
            long deadline = closeStart + closeTimeout.plus(MARGIN).toNanos();
            for (Thread thread : threads) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            Outcome outcome = new Outcome(closeNanos, threads.stream().filter(Thread::isAlive).toList(), this);
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    outcome.acknowledgedPayloads.add(entry.getKey());
                } catch (TimeoutException e) {
                    outcome.pending.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof MqttException mqtt && mqtt.getMessage().contains(NOT_COMPLETED)) {
                        outcome.notCompleted++;
                    } else {
                        unexpected.add(e.getCause());
                    }
                }
            }
            return outcome;
        }
    }

    /** How the futures of one run completed. */
    static final class Outcome {
        final long closeNanos;
        final List<Thread> blocked;
        final Publishers publishers;
        final Set<String> acknowledgedPayloads = new HashSet<>();
        final List<String> pending = new ArrayList<>();
        int notCompleted;

        Outcome(long closeNanos, List<Thread> blocked, Publishers publishers) {
            this.closeNanos = closeNanos;
            this.blocked = blocked;
            this.publishers = publishers;
        }

        void assertEveryFutureCompletedAndNoThreadBlocked(Duration closeTimeout) {
            assertEquals(List.of(), publishers.unexpected, "every failure says the client closed before the operation completed");
            assertEquals(List.of(), pending.subList(0, Math.min(10, pending.size())),
                    pending.size() + " futures still pending " + closeTimeout.plus(MARGIN) + " after close()");
            assertEquals(List.of(), blocked.stream().map(Thread::toString).toList(), "publishing threads still blocked");
            assertTrue(closeNanos < closeTimeout.plus(MARGIN).toNanos(), "close() returned in time");
        }

        void print(ProtocolVersion version, Qos qos, MqttBroker broker, Receiver receiver) {
            System.out.printf("RESILIENCE: close under load %s %s on %s: %d threads, %d futures: %d acknowledged, %d failed"
                            + " as not completed, %d pending; %d threads refused after close; close took %d ms;"
                            + " %d acknowledged not delivered, %d delivered%n",
                    version, qos, broker.name(), THREADS, publishers.futures.size(), acknowledgedPayloads.size(),
                    notCompleted, pending.size(), publishers.rejected.get(), TimeUnit.NANOSECONDS.toMillis(closeNanos),
                    receiver.lost(acknowledgedPayloads).size(), receiver.received.size());
        }
    }
}
