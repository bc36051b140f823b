package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.DisconnectRequest;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.FaultProxy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client without an identifier of its own, and a session that is to outlive its connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmptyIdentifierClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Test
    void mqtt311RefusesAPersistentSessionWithoutAnIdentifier() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MqttClient.newBuilder()
                .host(broker.broker().host()).port(broker.broker().port()).protocol(ProtocolVersion.V3_1_1)
                .cleanStart(false).connect());
        assertTrue(e.getMessage().contains("MQTT-3.1.3-7"), e.getMessage());
    }

    @Test
    void mqtt311GeneratesAnIdentifierForACleanSession() throws Exception {
        try (MqttClient client = MqttClient.newBuilder().host(broker.broker().host()).port(broker.broker().port())
                .protocol(ProtocolVersion.V3_1_1).connect()) {
            assertTrue(client.connectResult().clientIdentifier().startsWith("tether-"));
        }
    }

    @Test
    void mqtt5ResumesTheSessionUnderTheAssignedIdentifier() throws Exception {
        String topic = "tether-test/assigned/" + UUID.randomUUID();
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        try (FaultProxy proxy = FaultProxy.start(broker.broker().host(), broker.broker().port());
             MqttClient client = MqttClient.newBuilder().host(proxy.host()).port(proxy.port())
                     .cleanStart(false).sessionExpiry(Duration.ofMinutes(5)).reconnect(Backoff.fixed(Duration.ofMillis(10)))
                     .connectionListener(events::add).connect();
             MqttClient publisher = MqttClient.newBuilder().host(broker.broker().host()).port(broker.broker().port())
                     .connect()) {
            String assigned = client.connectResult().assignedClientIdentifier();
            assertNotNull(assigned, "the broker assigned an identifier");
            Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE);
            proxy.cutAll();
            ConnectionEvent event;
            do {
                event = events.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
                assertNotNull(event, "reconnected within " + WAIT);
            } while (!(event instanceof ConnectionEvent.Connected connected && connected.reconnect()));
            ConnectionEvent.Connected reconnected = (ConnectionEvent.Connected) event;
            assertTrue(reconnected.result().sessionPresent(), "the session was resumed under the assigned identifier");
            assertTrue(reconnected.resubscribed().isEmpty(), "nothing to subscribe again");
            assertEquals(assigned, reconnected.result().clientIdentifier());
            assertFalse(reconnected.result().isSet(dev.tether.mqtt.ConnectResult.Property.ASSIGNED_CLIENT_IDENTIFIER),
                    "the client asked for its assigned identifier by name");
            publisher.publish(topic, "after the cut", Qos.AT_LEAST_ONCE);
            assertEquals("after the cut", subscription.receive(WAIT).payloadAsString());
            client.close(DisconnectRequest.newBuilder().sessionExpiry(Duration.ZERO).build());
        }
    }
}
