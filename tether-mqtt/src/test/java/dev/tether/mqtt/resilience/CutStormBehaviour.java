package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A publisher sends 10,000 numbered QoS 1 or QoS 2 messages to a subscriber while a chaos thread
 * resets both clients' connections about every 200 messages the subscriber gets. Both clients keep
 * their sessions (fixed identifier, no clean start, a session expiry for MQTT 5) and reconnect
 * with a fast backoff, each through a {@link FaultProxy} of its own. The chaos thread cuts once the
 * subscriber has 100 to 300 new sequence numbers since the last cut and both clients are back;
 * the publisher runs at most 100 messages past the point of the next cut, so a fast machine cannot
 * outrun the chaos and every planned cut happens (about 50).
 *
 * <p>What MQTT promises here, and so what is asserted:
 * <ul>
 *   <li>QoS 1, at least once: every sequence number arrives, possibly more than once. A cut
 *       between a PUBLISH and its PUBACK makes the sender (publisher or broker) send it again
 *       after the reconnect, with DUP, in the order of the first sends [MQTT-4.4.0-1]; the broker
 *       keeps the messages of one publisher on one topic in order [MQTT-4.6.0-5, "ordered topic"].
 *       So a duplicate may come after later messages, but the <em>first occurrence</em> of each
 *       number comes in order without a gap: when {@code n} arrives for the first time, every
 *       number below {@code n} has arrived already.</li>
 *   <li>QoS 2, exactly once: the subscriber gets 0, 1, ..., 9999, each once, in that order.</li>
 * </ul>
 * A summary line prefixed {@code RESILIENCE:} goes to stdout (the surefire output file): the
 * number of cuts, recovery time per cut and client (from the cut to that client's next
 * {@link ConnectionEvent.Connected}, by listener timestamps) as median and maximum, messages
 * lost, duplicates and out-of-order first occurrences.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
abstract class CutStormBehaviour {

    static final int MESSAGES = 10_000;
    /**
     * Publishes in flight at once over MQTT 5, where the client itself also keeps to the broker's
     * Receive Maximum (Mosquitto announces 20, its {@code max_inflight_messages}).
     */
    static final int WINDOW = 100;
    // Over MQTT 3.1.1 the client itself keeps at most 20 of these in flight (its default
    // maxInFlight): Mosquitto 2.0 answers incoming QoS 2 messages beyond its max_inflight_messages
    // (default 20) with a PUBREC of reason 0x97, which 3.1.1 cannot carry, and drops them. With 100
    // in flight, 58 % of the messages were lost that way, silently for any client.
    static final int CUT_EVERY_MIN = 100; // messages between cuts: uniformly 100..300, about 200
    static final int CUT_EVERY_MAX = 300;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Backoff FAST = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(200));

    abstract MqttBroker broker();

    /** A connection event and when the listener saw it. */
    record Stamped(long nanos, ConnectionEvent event) {
    }

    static MqttClientBuilder persistentThrough(FaultProxy proxy, ProtocolVersion version, String name) {
        MqttClientBuilder builder = MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).protocol(version)
                .reconnect(FAST).connectTimeout(Duration.ofSeconds(5))
                .identifier("tether-storm-" + name + "-" + UUID.randomUUID().toString().substring(0, 8)).cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }

    /** Every connection event of a client with its timestamp: a queue to wait on and a list of all. */
    record Recorded(BlockingQueue<Stamped> queue, List<Stamped> all) {
        static Recorded of(MqttClient client) {
            Recorded recorded = new Recorded(new LinkedBlockingQueue<>(), Collections.synchronizedList(new ArrayList<>()));
            client.addConnectionListener(event -> {
                Stamped stamped = new Stamped(System.nanoTime(), event);
                recorded.all.add(stamped);
                recorded.queue.add(stamped);
            });
            return recorded;
        }

        /** How many reconnects found no session on the broker. */
        int notResumed() {
            synchronized (all) {
                return (int) all.stream().filter(s -> s.event() instanceof ConnectionEvent.Connected c
                        && !c.result().sessionPresent()).count();
            }
        }
    }

    /** The subscriber's progress: how many distinct sequence numbers it has, for the chaos thread to wait on. */
    static final class Progress {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition advanced = lock.newCondition();
        private int distinct;

        void set(int value) {
            lock.lock();
            try {
                distinct = value;
                advanced.signalAll();
            } finally {
                lock.unlock();
            }
        }

        int get() {
            lock.lock();
            try {
                return distinct;
            } finally {
                lock.unlock();
            }
        }

        /** Waits until at least {@code target}; false when {@code timeout} passed first. */
        boolean awaitAtLeast(int target, Duration timeout) throws InterruptedException {
            long remaining = timeout.toNanos();
            lock.lock();
            try {
                while (distinct < target) {
                    if (remaining <= 0) {
                        return false;
                    }
                    remaining = advanced.awaitNanos(remaining);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"V3_1_1, AT_LEAST_ONCE", "V3_1_1, EXACTLY_ONCE", "V5, AT_LEAST_ONCE", "V5, EXACTLY_ONCE"})
    @Statement(v311 = "MQTT-4.6.0-1", v5 = "MQTT-4.6.0-1")
    void deliversEveryMessageInOrderThroughACutEveryFewHundredMessages(ProtocolVersion version, Qos qos)
            throws Exception {
        String topic = "tether-test/storm/" + UUID.randomUUID();
        List<Long> recoveryNanos = Collections.synchronizedList(new ArrayList<>());
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Progress progress = new Progress();
        // How far the publisher may go: a little past the subscriber progress of the next cut, so
        // that a fast run cannot outpace the chaos thread and every planned cut happens.
        Progress allowed = new Progress();
        int[] cuts = {0};
        long started = System.nanoTime();

        try (FaultProxy subscriberProxy = FaultProxy.start(broker().host(), broker().port());
             FaultProxy publisherProxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient subscriber = persistentThrough(subscriberProxy, version, "sub").connect();
             Subscription subscription = subscriber.subscribe(topic, qos);
             MqttClient publisher = persistentThrough(publisherProxy, version, "pub").connect();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Recorded subscriberEvents = Recorded.of(subscriber);
            Recorded publisherEvents = Recorded.of(publisher);

            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                int windowSize = WINDOW;
                Semaphore window = new Semaphore(windowSize);
                try {
                    for (int seq = 0; seq < MESSAGES && !stop.get(); seq++) {
                        if (!allowed.awaitAtLeast(seq + 1, WAIT)) {
                            problems.add("publisher: the chaos thread held it back for " + WAIT + " at sequence " + seq);
                            return;
                        }
                        if (!window.tryAcquire(WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                            problems.add("publisher: no acknowledgement within " + WAIT + " with " + windowSize
                                    + " in flight, before sequence " + seq);
                            return;
                        }
                        int sequence = seq;
                        publisher.publishAsync(topic, Integer.toString(seq), qos).whenComplete((result, failure) -> {
                            window.release();
                            if (failure != null) {
                                problems.add("publish " + sequence + " failed: " + failure);
                            } else if (result.reasonCode().isError()) {
                                problems.add("publish " + sequence + " refused: " + result.reasonCode());
                            }
                        });
                    }
                    if (!window.tryAcquire(windowSize, WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                        problems.add("publisher: the last publishes were not acknowledged within " + WAIT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, threads);

            CompletableFuture<Void> chaos = CompletableFuture.runAsync(() -> {
                try {
                    int nextCut = nextCutAfter(0);
                    allowed.set(nextCut + CUT_EVERY_MIN);
                    while (!stop.get()) {
                        if (nextCut >= MESSAGES || !progress.awaitAtLeast(nextCut, Duration.ofMillis(500))) {
                            if (nextCut >= MESSAGES) {
                                return;
                            }
                            continue;
                        }
                        // The next cut is counted from this one, not from the end of the recovery:
                        // a subscriber with many messages buffered jumps ahead meanwhile.
                        int cutProgress = progress.get();
                        long cutAt = System.nanoTime();
                        int subscriberCut = subscriberProxy.cutAll();
                        int publisherCut = publisherProxy.cutAll();
                        cuts[0]++;
                        if (subscriberCut > 0) {
                            awaitReconnect("subscriber", subscriberEvents, cutAt, recoveryNanos, problems);
                        }
                        if (publisherCut > 0) {
                            awaitReconnect("publisher", publisherEvents, cutAt, recoveryNanos, problems);
                        }
                        nextCut = nextCutAfter(cutProgress);
                        allowed.set(nextCut + CUT_EVERY_MIN);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    allowed.set(Integer.MAX_VALUE); // no more cuts: the publisher goes on freely
                }
            }, threads);

            // The subscriber: this thread. Taking a message acknowledges it.
            BitSet seen = new BitSet(MESSAGES);
            int distinct = 0;
            int duplicates = 0;
            int outOfOrder = 0;
            List<String> outOfOrderExamples = new ArrayList<>();
            long lastMessageAt = System.nanoTime();
            while (distinct < MESSAGES && problems.isEmpty()) {
                MqttMessage message = subscription.receive(Duration.ofMillis(500));
                if (message == null) {
                    if (System.nanoTime() - lastMessageAt > WAIT.toNanos()) {
                        problems.add("subscriber: nothing for " + WAIT + " with " + distinct + " of " + MESSAGES
                                + " received; first missing " + seen.nextClearBit(0));
                    }
                    continue;
                }
                lastMessageAt = System.nanoTime();
                int seq = Integer.parseInt(message.payloadAsString());
                if (seen.get(seq)) {
                    duplicates++;
                    continue;
                }
                if (seq != distinct) { // a first occurrence must be the next number: all below it came before
                    outOfOrder++;
                    if (outOfOrderExamples.size() < 5) {
                        outOfOrderExamples.add("got " + seq + " first while " + seen.nextClearBit(0) + " had not come");
                    }
                }
                seen.set(seq);
                distinct = seen.cardinality();
                progress.set(distinct);
            }
            stop.set(true);
            join(publishing, "publisher", problems);
            join(chaos, "chaos", problems);
            // Late duplicates: whatever still arrives once the storm is over.
            MqttMessage late;
            while ((late = subscription.receive(Duration.ofMillis(500))) != null) {
                if (seen.get(Integer.parseInt(late.payloadAsString()))) {
                    duplicates++;
                } else {
                    problems.add("after the end, a message never seen before: " + late.payloadAsString());
                }
            }

            int lost = MESSAGES - seen.cardinality();
            int notResumed = subscriberEvents.notResumed() + publisherEvents.notResumed();
            List<Long> sorted = new ArrayList<>(recoveryNanos);
            Collections.sort(sorted);
            System.out.printf("RESILIENCE: cut-storm broker=%s protocol=%s qos=%d messages=%d cuts=%d reconnects=%d"
                            + " recoveryMedianMs=%.1f recoveryMaxMs=%.1f lost=%d duplicates=%d qos2Duplicates=%d"
                            + " outOfOrder=%d sessionNotResumed=%d seconds=%.1f%n",
                    broker().name(), version, qos.code(), MESSAGES, cuts[0], sorted.size(),
                    millis(sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2)),
                    millis(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)), lost, duplicates,
                    qos == Qos.EXACTLY_ONCE ? duplicates : 0, outOfOrder, notResumed,
                    (System.nanoTime() - started) / 1e9);

            assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
            assertEquals(0, lost, "messages lost; first missing: " + seen.nextClearBit(0));
            assertEquals(0, outOfOrder, () -> "first occurrences out of order: " + outOfOrderExamples);
            if (qos == Qos.EXACTLY_ONCE) {
                assertEquals(0, duplicates, "QoS 2 messages delivered more than once");
            }
            assertTrue(cuts[0] >= MESSAGES / CUT_EVERY_MAX - 1, "the chaos thread cut only " + cuts[0] + " times");
            assertEquals(0, notResumed, "a reconnect found no session on the broker");
        }
    }

    private static int nextCutAfter(int progress) {
        return progress + ThreadLocalRandom.current().nextInt(CUT_EVERY_MIN, CUT_EVERY_MAX + 1);
    }

    /** Waits for the client's first Connected after {@code cutAt} and records how long it took. */
    private static void awaitReconnect(String who, Recorded recorded, long cutAt, List<Long> recoveryNanos,
                                       Queue<String> problems) throws InterruptedException {
        long deadline = cutAt + WAIT.toNanos();
        while (true) {
            Stamped next = recorded.queue().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                problems.add(who + ": not connected again within " + WAIT + " of a cut");
                return;
            }
            if (next.event() instanceof ConnectionEvent.Connected && next.nanos() >= cutAt) {
                recoveryNanos.add(next.nanos() - cutAt);
                return;
            }
        }
    }

    private static void join(CompletableFuture<Void> task, String name, Queue<String> problems) throws Exception {
        try {
            task.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            problems.add(name + " thread did not end");
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
