package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.time.Duration;
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
