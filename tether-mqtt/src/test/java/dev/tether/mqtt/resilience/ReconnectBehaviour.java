package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.TopicFilter;
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import dev.tether.mqtt.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a client does when its connection is cut, run against each broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ReconnectBehaviour {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Backoff FAST = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(200));

    abstract MqttBroker broker();

    MqttClientBuilder direct(ProtocolVersion version) {
        return MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version);
    }

    static MqttClientBuilder through(FaultProxy proxy, ProtocolVersion version) {
        return MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).protocol(version).reconnect(FAST);
    }

    /** A client whose session the broker keeps across connections. */
    static MqttClientBuilder persistent(MqttClientBuilder builder, ProtocolVersion version, String name) {
        builder.identifier("tether-" + name + "-" + UUID.randomUUID().toString().substring(0, 8)).cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }

    static String uniqueTopic(String name) {
        return "tether-test/" + name + "/" + UUID.randomUUID();
    }

    /** Events from now on, collected by a virtual thread so the test can wait for one. */
    static BlockingQueue<ConnectionEvent> record(MqttClient client) {
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        client.addConnectionListener(events::add);
        return events;
    }

    static <T extends ConnectionEvent> T next(BlockingQueue<ConnectionEvent> events, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ConnectionEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(event, "no " + type.getSimpleName() + " event within " + WAIT);
            if (type.isInstance(event)) {
                return type.cast(event);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-4.1.0-1", "MQTT-4.1.0-2"}, v5 = "MQTT-4.1.0-1")
    void reconnectsAndResumesTheSessionAfterACut(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("resume");
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = persistent(through(proxy, version), version, "resume").connect();
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient publisher = direct(version).connect()) {
            BlockingQueue<ConnectionEvent> events = record(client);
            assertEquals(1, proxy.cutAll());

            ConnectionEvent.Lost lost = next(events, ConnectionEvent.Lost.class);
            assertNotNull(lost.cause().getMessage());
            ConnectionEvent.Reconnecting reconnecting = next(events, ConnectionEvent.Reconnecting.class);
            assertEquals(1, reconnecting.attempt());
            ConnectionEvent.Connected connected = next(events, ConnectionEvent.Connected.class);
            assertTrue(connected.reconnect());
            assertTrue(connected.result().sessionPresent(), "the broker resumed the session");
            assertTrue(connected.resubscribed().isEmpty(), "a resumed session keeps its subscriptions");
            client.awaitConnected(WAIT);
            assertEquals(ConnectionState.CONNECTED, client.state());
            assertEquals(1, client.metrics().reconnects());

            publisher.publish(topic, "after the cut", Qos.AT_LEAST_ONCE);
            MqttMessage message = subscription.receive(WAIT);
            assertNotNull(message, "the subscription carries on after the reconnect");
            assertEquals("after the cut", message.payloadAsString());
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void subscribesAgainWhenTheBrokerStartsANewSession(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("resubscribe");
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = through(proxy, version).connect(); // clean start, no session kept
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient publisher = direct(version).connect()) {
            BlockingQueue<ConnectionEvent> events = record(client);
            proxy.cutAll();

            ConnectionEvent.Connected connected = next(events, ConnectionEvent.Connected.class);
            assertFalse(connected.result().sessionPresent());
            assertEquals(java.util.List.of(TopicFilter.of(topic)), connected.resubscribed());
            // The SUBSCRIBE goes out before the event; a publish after its SUBACK must arrive.
            // Publishing until one arrives bounds the wait without sleeping.
            MqttMessage message = null;
            for (int i = 0; i < 50 && message == null; i++) {
                publisher.publish(topic, "again " + i, Qos.AT_LEAST_ONCE);
                message = subscription.receive(Duration.ofMillis(200));
            }
            assertNotNull(message, "the subscription was renewed on the new session");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v5 = "MQTT-3.2.2-5")
    void aSessionTheBrokerLostIsDiscardedAndItsUnacknowledgedMessageSentAsNew(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("lost-session");
        String identifier = "tether-lost-session-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] payload = "sent before the broker lost the session".getBytes(StandardCharsets.UTF_8);
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port()).record(true);
             MqttClient subscriber = direct(version).connect();
             Subscription subscription = subscriber.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient client = keptSession(through(proxy, version).identifier(identifier), version).connect()) {
            BlockingQueue<ConnectionEvent> events = record(client);
            assertNull(subscription.poll()); // being consumed before the message comes

            // The PUBLISH leaves the client but never reaches the broker: session state of the
            // client's own, a message sent and not acknowledged.
            proxy.blackhole(true);
            CompletableFuture<PublishResult> sent = client.publishAsync(topic, new String(payload, StandardCharsets.UTF_8),
                    Qos.AT_LEAST_ONCE);
            assertTrue(Poll.until(WAIT, () -> contains(proxy.clientBytes(0), payload)), "the PUBLISH left the client");
            proxy.refuseNew(true);
            proxy.cutAll();
            proxy.blackhole(false);
            next(events, ConnectionEvent.Lost.class);

            // Meanwhile the broker loses the session: a clean start under the same identifier ends it.
            direct(version).identifier(identifier).cleanStart(true).connect().close();
            proxy.refuseNew(false);

            ConnectionEvent.Connected connected = next(events, ConnectionEvent.Connected.class);
            assertFalse(connected.result().sessionPresent(), "the broker has no session for the client");
            assertFalse(sent.get(WAIT.toSeconds(), TimeUnit.SECONDS).reasonCode().isError());
            assertEquals(java.util.List.of(new String(payload, StandardCharsets.UTF_8)), drainPayloads(subscription));
            // The client discarded its session state [MQTT-3.2.2-5]: the message went out as a new
            // one (DUP 0), not as the duplicate of a PUBLISH this session never had.
            byte[] again = proxy.clientBytes(proxy.connectionCount() - 1);
            int publish = indexOfPublishWith(again, payload);
            assertTrue(publish >= 0, "the message was sent on the new connection");
            assertEquals(0x32, again[publish] & 0xFF, "PUBLISH, QoS 1, DUP 0");
        }
    }

    /** The builder with its identifier, asking the broker to keep the session. */
    private static MqttClientBuilder keptSession(MqttClientBuilder builder, ProtocolVersion version) {
        builder.cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        return indexOf(bytes, part, 0) >= 0;
    }

    private static int indexOf(byte[] bytes, byte[] part, int from) {
        for (int i = from; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the PUBLISH that carries {@code payload} starts: walks the packets of a recorded
     * connection by their remaining lengths.
     */
    private static int indexOfPublishWith(byte[] bytes, byte[] payload) {
        int at = 0;
        while (at < bytes.length) {
            int length = 0;
            int multiplier = 1;
            int i = at + 1;
            int digit;
            do {
                digit = bytes[i++] & 0xFF;
                length += (digit & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((digit & 0x80) != 0);
            int end = i + length;
            if ((bytes[at] & 0xF0) == 0x30 && indexOf(Arrays.copyOfRange(bytes, at, end), payload, 0) >= 0) {
                return at;
            }
            at = end;
        }
        return -1;
    }

    private static java.util.List<String> drainPayloads(Subscription subscription) throws Exception {
        java.util.List<String> payloads = new java.util.ArrayList<>();
        MqttMessage message = subscription.receive(WAIT);
        while (message != null) {
            payloads.add(message.payloadAsString());
            message = subscription.receive(Duration.ofMillis(500));
        }
        return payloads;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void queuesQos1WhileDisconnectedAndSendsItOnceBack(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("offline");
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient subscriber = persistent(direct(version), version, "offline-sub").connect();
             Subscription subscription = subscriber.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient client = persistent(through(proxy, version), version, "offline").connect()) {
            BlockingQueue<ConnectionEvent> events = record(client);
            proxy.refuseNew(true);
            proxy.cutAll();
            next(events, ConnectionEvent.Lost.class);
            assertEquals(ConnectionState.RECONNECTING, client.state());

            CompletableFuture<PublishResult> queued = client.publishAsync(topic, "queued while away", Qos.AT_LEAST_ONCE);
            MqttException qos0 = assertThrows(MqttException.class, () -> client.publish(topic, "qos 0", Qos.AT_MOST_ONCE));
            assertTrue(qos0.getMessage().contains("not connected"), qos0.getMessage());
            assertFalse(queued.isDone(), "a QoS 1 publish waits for the connection");
            assertEquals(1, client.metrics().queuedOutgoing());

            proxy.refuseNew(false);
            assertFalse(queued.get(WAIT.toSeconds(), TimeUnit.SECONDS).reasonCode().isError());
            MqttMessage message = subscription.receive(WAIT);
            assertNotNull(message);
            assertEquals("queued while away", message.payloadAsString());
            assertEquals(0, client.metrics().queuedOutgoing());
        }
    }

    @Test
    void withoutReconnectALostConnectionClosesTheClient() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = through(proxy, ProtocolVersion.V5).reconnect(false).connect()) {
            Iterator<ConnectionEvent> events = client.connectionEvents().iterator();
            proxy.cutAll();
            assertInstanceOf(ConnectionEvent.Lost.class, events.next());
            ConnectionEvent.Closed closed = assertInstanceOf(ConnectionEvent.Closed.class, events.next());
            assertNotNull(closed.cause());
            assertFalse(events.hasNext(), "events end with the client");
            assertEquals(ConnectionState.CLOSED, client.state());
            assertThrows(MqttException.class, () -> client.awaitConnected(WAIT));
        }
    }
}
