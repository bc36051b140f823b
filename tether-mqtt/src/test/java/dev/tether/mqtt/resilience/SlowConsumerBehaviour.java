package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.IncomingOverflowPolicy;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MqttBroker;
import dev.tether.mqtt.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A subscriber that takes nothing for a while, then takes slowly, then at full speed, while
 * another client publishes a stream of numbered messages. Its stream never holds more than
 * {@code maxQueuedIncoming}, its heap stays bounded, and what it does not hold stays at the
 * broker: for QoS 1/2 it stops reading (and, with MQTT 5, announces a Receive Maximum), so every
 * message arrives in the end; for QoS 0 the {@link IncomingOverflowPolicy} decides, and every
 * message the client read from the broker is either taken by the application or counted in
 * {@code droppedIncoming}.
 *
 * <p>The heap figures are of the whole test JVM, so they bound the client from above only: with
 * the embedded HiveMQ they include the broker and the messages it holds, with Mosquitto the
 * broker log the testkit keeps in a StringBuffer ({@code log_type all}: some lines per message,
 * about 50 MiB per 100,000 messages, which stays for the whole class).
 *
 * <p>What the brokers do, as measured: HiveMQ sends a QoS 1 subscriber only a few messages
 * unacknowledged (1 to 20 in these runs, whatever Receive Maximum the client announces), so the
 * stream barely fills (peak 50); Mosquitto sends up to its max_inflight_messages (20)
 * with MQTT 3.1.1 and up to the announced Receive Maximum (1000) with MQTT 5, which fills it.
 * With QoS 0 both send as fast as the client reads; neither dropped any of 20,000.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
abstract class SlowConsumerBehaviour {

    static final int BOUND = 1_000;
    /** While the stream is full the reader holds one more message, waiting for room: it has been read, not queued. */
    static final int READER_HOLDS = 1;
    static final long HEAP_GROWTH_LIMIT = 256L * 1024 * 1024;
    static final int PAYLOAD_BYTES = 256;

    abstract MqttBroker broker();

    record Phases(Duration stall, Duration slow) {
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aStalledQos1SubscriberStaysWithinItsBoundAndReceivesAll100000InTheEnd(ProtocolVersion version) throws Exception {
        Outcome outcome = run(version, Qos.AT_LEAST_ONCE, IncomingOverflowPolicy.BACKPRESSURE, 100_000,
                new Phases(Duration.ofSeconds(20), Duration.ofSeconds(5)));
        assertTrue(outcome.readDuringStall <= BOUND + READER_HOLDS, "while stalled the client read "
                + outcome.readDuringStall + " messages: the broker must hold the rest");
        assertEquals(0, outcome.droppedIncoming, "QoS 1 is never dropped");
        assertEquals(outcome.published, outcome.distinct, "every message arrived at least once");
    }

    static List<Arguments> qos0Cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtocolVersion version : ProtocolVersion.values()) {
            for (IncomingOverflowPolicy policy : IncomingOverflowPolicy.values()) {
                cases.add(Arguments.of(version, policy));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("qos0Cases")
    void aStalledQos0SubscriberKeepsItsBoundAndAccountsForEveryMessageItRead(ProtocolVersion version,
                                                                             IncomingOverflowPolicy policy) throws Exception {
        Outcome outcome = run(version, Qos.AT_MOST_ONCE, policy, 20_000,
                new Phases(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        // What the client promises, exactly: each message read from the broker is taken once or counted as dropped.
        assertEquals(outcome.read, outcome.taken + outcome.droppedIncoming,
                "read from the broker = taken by the application + dropped by the policy");
        assertEquals(outcome.taken, outcome.distinct, "no message was given out twice");
        assertTrue(outcome.inOrder, "messages are given out in the order they came");
        switch (policy) {
            case BACKPRESSURE -> {
                assertEquals(0, outcome.droppedIncoming, "backpressure drops nothing");
                assertTrue(outcome.readDuringStall <= BOUND + READER_HOLDS, "while stalled the client read "
                        + outcome.readDuringStall + " messages");
            }
            case DROP_NEWEST -> {
                assertTrue(outcome.droppedIncoming > 0, "the stall overflowed the stream");
                assertEquals(1, outcome.firstTaken, "the newest are dropped: the first message is kept");
            }
            case DROP_OLDEST -> {
                assertTrue(outcome.droppedIncoming > 0, "the stall overflowed the stream");
                assertTrue(outcome.firstTaken > 1, "the oldest are dropped: the first message is not kept");
            }
        }
        // QoS 0 is at most once, and a broker may drop it: HiveMQ CE once let 28 of 20,000 go when
        // the publisher outran it (170,000 a second) although its queue is not full. What the
        // client never read it cannot account for; the report line shows the broker's drops.
        assertTrue(outcome.read <= outcome.published, "read more messages than were published");
    }

    /** What a run measured. */
    record Outcome(long published, long read, long readDuringStall, long taken, long distinct, long droppedIncoming,
                   long firstTaken, boolean inOrder) {
    }

    private Outcome run(ProtocolVersion version, Qos qos, IncomingOverflowPolicy policy, int messages, Phases phases)
            throws Exception {
        String topic = ReconnectBehaviour.uniqueTopic("slow");
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch stopMonitor = new CountDownLatch(1);
        AtomicInteger peakQueue = new AtomicInteger();
        long baseline = usedHeapAfterGc();
        long peakHeap = baseline;
        long started = System.nanoTime();
        try (MqttClient subscriber = MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version)
                .maxQueuedIncoming(BOUND).incomingOverflow(policy)
                // Mosquitto 2.0.11 overruns the Receive Maximum (see BrokerBehaviour.overrunsReceiveMaximum).
                .enforceReceiveMaximum(!broker().name().equals("mosquitto")).connect();
             Subscription subscription = subscriber.subscribe(topic, qos);
             MqttClient publisher = MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version)
                     .connect()) {
            Thread monitor = Thread.ofVirtual().start(() -> {
                try {
                    do {
                        peakQueue.accumulateAndGet(subscriber.metrics().queuedIncoming(), Math::max);
                    } while (!stopMonitor.await(2, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            LongAdder failed = new LongAdder();
            CountDownLatch completed = new CountDownLatch(messages);
            AtomicLong publishedNanos = new AtomicLong();
            Thread publishing = Thread.ofVirtual().start(() -> {
                for (int n = 1; n <= messages; n++) {
                    publisher.publishAsync(topic, payload(n), qos).whenComplete((result, failure) -> {
                        if (failure != null) {
                            failed.increment();
                        }
                        completed.countDown();
                    });
                }
                try {
                    if (completed.await(120, TimeUnit.SECONDS)) {
                        publishedNanos.set(System.nanoTime() - started);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            // 1. Take nothing. A dropping policy must see the stream overflow: on a slow machine the
            //    broker may need longer than the stall to send that many, so wait for it (bounded).
            never.await(phases.stall.toMillis(), TimeUnit.MILLISECONDS);
            if (policy != IncomingOverflowPolicy.BACKPRESSURE) {
                Poll.until(Duration.ofSeconds(60), () -> subscriber.metrics().droppedIncoming() > 0);
            }
            long readDuringStall = subscriber.metrics().messagesReceived();
            int queuedAfterStall = subscriber.metrics().queuedIncoming();
            peakHeap = Math.max(peakHeap, usedHeapAfterGc());

            BitSet seen = new BitSet(messages + 1);
            long taken = 0;
            long firstTaken = -1;
            long previous = 0;
            boolean inOrder = true;
            // 2. Take slowly: one message a millisecond at most.
            long slowEnd = System.nanoTime() + phases.slow.toNanos();
            long takenSlowly = 0;
            while (System.nanoTime() < slowEnd) {
                MqttMessage message = subscription.receive(Duration.ofMillis(50));
                if (message != null) {
                    int n = number(message);
                    firstTaken = firstTaken < 0 ? n : firstTaken;
                    inOrder &= n > previous;
                    previous = n;
                    seen.set(n);
                    taken++;
                    takenSlowly++;
                }
                never.await(1, TimeUnit.MILLISECONDS);
            }
            peakHeap = Math.max(peakHeap, usedHeapAfterGc());
            // 3. Take at full speed until all arrived, or nothing more came for a while after the publisher finished.
            long fastStart = System.nanoTime();
            Duration quiet = Duration.ofSeconds(qos == Qos.AT_MOST_ONCE ? 3 : 15);
            while (seen.cardinality() < messages) {
                MqttMessage message = subscription.receive(quiet);
                if (message == null) {
                    if (!publishing.isAlive()) {
                        break;
                    }
                    continue;
                }
                int n = number(message);
                firstTaken = firstTaken < 0 ? n : firstTaken;
                inOrder &= n > previous || qos != Qos.AT_MOST_ONCE; // QoS 1 may redeliver; QoS 0 never does
                previous = n;
                seen.set(n);
                taken++;
            }
            long fastNanos = System.nanoTime() - fastStart;
            peakHeap = Math.max(peakHeap, usedHeapAfterGc());
            stopMonitor.countDown();
            monitor.join(Duration.ofSeconds(10));
            publishing.join(Duration.ofSeconds(130));
            var metrics = subscriber.metrics();
            Outcome outcome = new Outcome(messages - failed.sum(), metrics.messagesReceived(), readDuringStall, taken,
                    seen.cardinality(), metrics.droppedIncoming(), firstTaken, inOrder);
            System.out.printf("RESILIENCE: slow consumer %s QoS %d %s on %s: %d published (%d failed) in %d ms; stalled"
                            + " %d s: read %d, queued %d; slowly took %d in %d s; then all in %d ms; peak queue %d"
                            + " (bound %d); heap %d MiB at start, peak %d MiB after GC; taken %d, distinct %d,"
                            + " duplicates %d, dropped by the client %d, not passed on by the broker %d; %d ms in all%n",
                    version, qos.code(), policy, broker().name(), messages, failed.sum(),
                    TimeUnit.NANOSECONDS.toMillis(publishedNanos.get()), phases.stall.toSeconds(), readDuringStall,
                    queuedAfterStall, takenSlowly, phases.slow.toSeconds(), TimeUnit.NANOSECONDS.toMillis(fastNanos),
                    peakQueue.get(), BOUND, baseline >> 20, peakHeap >> 20, taken, seen.cardinality(),
                    taken - seen.cardinality(), metrics.droppedIncoming(), outcome.published - outcome.read,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertEquals(0, failed.sum(), "every publish was accepted");
            assertTrue(peakQueue.get() <= BOUND, "the stream held " + peakQueue.get() + " messages, bound " + BOUND);
            assertTrue(peakHeap - baseline <= HEAP_GROWTH_LIMIT, "the heap grew by " + ((peakHeap - baseline) >> 20) + " MiB");
            return outcome;
        }
    }

    private static byte[] payload(int n) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        Arrays.fill(payload, (byte) ' ');
        byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, payload, 0, digits.length);
        return payload;
    }

    private static int number(MqttMessage message) {
        return Integer.parseInt(message.payloadAsString().strip());
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
