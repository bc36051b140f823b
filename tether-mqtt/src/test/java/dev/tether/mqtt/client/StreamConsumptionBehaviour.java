package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which streams get a message: every stream being consumed that wants it, so a stream nobody
 * reads never holds back another; what no stream being consumed wants waits for the first one
 * that starts.
 */
abstract class StreamConsumptionBehaviour extends BrokerBehaviour {

    /** {@code maxQueuedIncoming} of the small tests, so that a few dozen messages overflow it. */
    private static final int QUEUE = 10;
    private static final int MESSAGES = 4 * QUEUE;
    private static final Executor VIRTUAL = runnable -> Thread.ofVirtual().start(runnable);

    static Stream<Arguments> versionsAndQos() {
        return Stream.of(ProtocolVersion.values())
                .flatMap(version -> Stream.of(Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE).map(qos -> Arguments.of(version, qos)));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Timeout(value = 300, unit = TimeUnit.SECONDS) // 100,000 QoS 1 messages: far longer than 60 s on a loaded machine
    void aHundredThousandMessagesReachTheMessagesLoopPastAnIgnoredSubscription(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("idiom");
        int total = 100_000;
        int maxQueued = 1_000;
        try (MqttClient client = builder(version).maxQueuedIncoming(maxQueued).connect();
             MqttClient publisher = connect(version)) {
            client.subscribe(topic + "/#", Qos.AT_LEAST_ONCE); // result ignored: closing it would unsubscribe
            CompletableFuture<Void> publishing = publishNumbered(publisher, topic + "/n", total, Qos.AT_LEAST_ONCE);
            int next = 0;
            int peak = 0;
            for (MqttMessage message : client.messages()) {
                assertEquals(next, Integer.parseInt(message.payloadAsString()), "in order, none lost, none twice");
                if (++next % 100 == 0) {
                    peak = Math.max(peak, client.metrics().queuedIncoming());
                }
                if (next == total) {
                    break;
                }
            }
            assertEquals(total, next, "every message reached messages()");
            publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(peak <= maxQueued, "at most maxQueuedIncoming waited, was " + peak);
            assertEquals(0, client.metrics().queuedIncoming(), "the ignored subscription holds nothing");
        }
    }

    @ParameterizedTest
    @MethodSource("versionsAndQos")
    void theMessagesLoopGetsEveryMessagePastAnIgnoredSubscription(ProtocolVersion version, Qos qos) throws Exception {
        String topic = uniqueTopic("ignored");
        try (MqttClient client = builder(version).maxQueuedIncoming(QUEUE).connect();
             MqttClient publisher = connect(version)) {
            client.subscribe(topic, qos);
            MessageReader all = new MessageReader(client.messages());
            publishNumbered(publisher, topic, MESSAGES, qos).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(numbers(MESSAGES), drain(all));
            assertEquals(0, client.metrics().queuedIncoming(), "the ignored subscription holds nothing");
        }
    }

    @ParameterizedTest
    @MethodSource("versionsAndQos")
    void messagesAndAnIteratedSubscriptionBothGetEachMessage(ProtocolVersion version, Qos qos) throws Exception {
        String topic = uniqueTopic("both");
        try (MqttClient client = builder(version).maxQueuedIncoming(QUEUE).connect();
             Subscription subscription = client.subscribe(topic + "/#", qos);
             MqttClient publisher = connect(version)) {
            MessageReader all = new MessageReader(client.messages());
            MessageReader subscribed = new MessageReader(subscription);
            CompletableFuture<List<String>> fromAll = drainAsync(all);
            CompletableFuture<List<String>> fromSubscription = drainAsync(subscribed);
            publishNumbered(publisher, topic + "/n", MESSAGES, qos).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(numbers(MESSAGES), fromSubscription.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS));
            assertEquals(numbers(MESSAGES), fromAll.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aMessageIsAcknowledgedOnlyOnceEveryStreamItWentToTookIt(ProtocolVersion version) throws Exception {
        String identifier = uniqueIdentifier("every-stream");
        String topic = uniqueTopic("every-stream");
        try (MqttClient publisher = connect(version)) {
            try (MqttClient first = persistent(version, identifier).connect()) {
                Subscription subscription = first.subscribe(topic, Qos.AT_LEAST_ONCE); // not closed: that would unsubscribe
                MessageReader all = new MessageReader(first.messages());
                MessageReader subscribed = new MessageReader(subscription);
                publisher.publish(topic, "taken by both", Qos.AT_LEAST_ONCE);
                assertEquals("taken by both", all.next(WAIT).payloadAsString());
                assertEquals("taken by both", subscribed.next(WAIT).payloadAsString());
                publisher.publish(topic, "taken by messages() alone", Qos.AT_LEAST_ONCE);
                assertEquals("taken by messages() alone", all.next(WAIT).payloadAsString());
            } // closed with DISCONNECT, the second message still waiting in the subscription
            try (MqttClient second = persistent(version, identifier).connect()) {
                assertTrue(second.connectResult().sessionPresent(), "the session was resumed");
                // The first message was acknowledged once both streams had it; the second was not,
                // so the broker sends it again (and only it) to the resumed session.
                MqttMessage again = new MessageReader(second.messages()).next(WAIT);
                assertNotNull(again, "the message one stream never took was delivered again");
                assertEquals("taken by messages() alone", again.payloadAsString());
            }
        } finally {
            builder(version).identifier(identifier).cleanStart(true).connect().close(); // discards the session
        }
    }

    /** How a test starts consuming a subscription: its first take, which finds nothing yet. */
    enum FirstTake {
        ITERATOR, RECEIVE_WITH_TIMEOUT, POLL;

        Receive start(Subscription subscription) throws Exception {
            switch (this) {
                case ITERATOR -> {
                    return new MessageReader(subscription)::next;
                }
                case RECEIVE_WITH_TIMEOUT -> assertNull(subscription.receive(Duration.ofMillis(1)));
                case POLL -> assertNull(subscription.poll());
                default -> throw new IllegalStateException(name());
            }
            return subscription::receive;
        }
    }

    @ParameterizedTest
    @EnumSource(FirstTake.class)
    void aSubscriptionGetsMessagesFromItsFirstTakeOnWhileMessagesIsRead(FirstTake firstTake) throws Exception {
        for (ProtocolVersion version : ProtocolVersion.values()) {
            String topic = uniqueTopic("first-take");
            try (MqttClient client = connect(version);
                 Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE);
                 MqttClient publisher = connect(version)) {
                MessageReader all = new MessageReader(client.messages());
                publisher.publish(topic, "before", Qos.AT_LEAST_ONCE);
                assertEquals("before", all.next(WAIT).payloadAsString(), version.toString());
                Receive subscribed = firstTake.start(subscription); // "before" went to messages() alone
                publisher.publish(topic, "after", Qos.AT_LEAST_ONCE);
                assertEquals("after", all.next(WAIT).payloadAsString(), version.toString());
                assertEquals("after", subscribed.within(WAIT).payloadAsString(), version.toString());
                assertNull(subscribed.within(QUIET), "each message once, nothing from before the first take");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("versionsAndQos")
    void ofTwoSubscriptionsToOneTopicTheReadOneGetsEverythingPastTheIgnoredOne(ProtocolVersion version, Qos qos)
            throws Exception {
        String topic = uniqueTopic("one-ignored");
        try (MqttClient client = builder(version).maxQueuedIncoming(QUEUE).connect();
             Subscription read = client.subscribe(topic, qos);
             Subscription ignored = client.subscribe(topic, qos);
             MqttClient publisher = connect(version)) {
            MessageReader subscribed = new MessageReader(read);
            publishNumbered(publisher, topic, MESSAGES, qos).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(numbers(MESSAGES), drain(subscribed));
            assertEquals(0, client.metrics().queuedIncoming(), ignored + " holds nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void overlappingFiltersGiveEachStreamBeingReadEveryMessagePastAnIgnoredOne(ProtocolVersion version) throws Exception {
        String base = uniqueTopic("overlap-ignored");
        try (MqttClient client = builder(version).maxQueuedIncoming(QUEUE).connect();
             Subscription everything = client.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
             Subscription oneLevel = client.subscribe(base + "/+", Qos.AT_LEAST_ONCE);
             MqttClient publisher = connect(version)) {
            CompletableFuture<List<String>> fromEverything = drainAsync(new MessageReader(everything));
            CompletableFuture<List<String>> fromAll = drainAsync(new MessageReader(client.messages()));
            publishNumbered(publisher, base + "/b", MESSAGES, Qos.AT_LEAST_ONCE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(numbers(MESSAGES), fromEverything.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS));
            // A broker may send a copy per matching subscription (see OverlappingSubscriptionBehaviour):
            // messages() gets each copy, the one for the ignored subscription too.
            List<String> all = fromAll.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            assertEquals(numbers(MESSAGES), all.stream().distinct().toList());
            assertEquals(0, client.metrics().queuedIncoming(), oneLevel + " holds nothing");
        }
    }

    /** Which stream starts being consumed after messages arrived for it. */
    enum LateStream { SUBSCRIPTION, MESSAGES }

    static Stream<Arguments> lateStreams() {
        return versionsAndQos().flatMap(arguments -> Stream.of(LateStream.values())
                .map(late -> Arguments.of(arguments.get()[0], arguments.get()[1], late)));
    }

    @ParameterizedTest
    @MethodSource("lateStreams")
    void withNothingReadTheClientStopsReadingAndAStreamStartedLateGetsEverythingInOrder(ProtocolVersion version, Qos qos,
                                                                                       LateStream late) throws Exception {
        String topic = uniqueTopic("late");
        try (MqttClient client = builder(version).maxQueuedIncoming(QUEUE).connect();
             Subscription subscription = client.subscribe(topic, qos);
             MqttClient publisher = connect(version)) {
            Iterable<MqttMessage> messages = client.messages(); // not iterated yet
            publishNumbered(publisher, topic, MESSAGES, qos).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // QoS 0 comes at once, up to the bound; how many unacknowledged QoS 1 messages a broker
            // sends ahead is its flow control (HiveMQ CE sends a few, Mosquitto up to 20).
            awaitQueued(client, qos == Qos.AT_MOST_ONCE ? QUEUE : 1);
            new CountDownLatch(1).await(QUIET.toMillis(), TimeUnit.MILLISECONDS);
            int held = client.metrics().queuedIncoming();
            assertTrue(held >= 1 && held <= QUEUE, held + " held: the client stops reading at maxQueuedIncoming");
            MessageReader reader = new MessageReader(late == LateStream.SUBSCRIPTION ? subscription : messages);
            assertEquals(numbers(MESSAGES), drain(reader), "nothing lost, in order");
        }
    }

    private MqttClientBuilder persistent(ProtocolVersion version, String identifier) {
        MqttClientBuilder builder = builder(version).identifier(identifier).cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder; // [MQTT-3.1.2-23]
    }

    /**
     * Publishes "0", "1", … on a thread of its own, at most a thousand unanswered at a time.
     *
     * @return completes once the broker answered every one; fails with the first failure
     */
    private static CompletableFuture<Void> publishNumbered(MqttClient publisher, String topic, int count, Qos qos) {
        return CompletableFuture.runAsync(() -> {
            Semaphore window = new Semaphore(1_000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try {
                for (int i = 0; i < count && failure.get() == null; i++) {
                    if (!window.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new AssertionError("publish " + i + " got no answer within " + WAIT);
                    }
                    publisher.publishAsync(topic, Integer.toString(i), qos).whenComplete((result, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                        window.release();
                    });
                }
                if (!window.tryAcquire(1_000, WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("the last publishes got no answer within " + WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (failure.get() != null) {
                throw new AssertionError("a publish failed", failure.get());
            }
        }, VIRTUAL);
    }

    private static CompletableFuture<List<String>> drainAsync(MessageReader reader) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return drain(reader);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, VIRTUAL);
    }

    private static List<String> numbers(int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(Integer.toString(i));
        }
        return numbers;
    }

    /** Waits until at least {@code count} messages wait in the client, checking every 10 ms for at most {@link #WAIT}. */
    private static void awaitQueued(MqttClient client, int count) throws InterruptedException {
        Poll.until(WAIT, () -> client.metrics().queuedIncoming() >= count);
        int queued = client.metrics().queuedIncoming();
        assertTrue(queued >= count, queued + " messages waiting in the client, expected " + count);
    }
}
