package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.testkit.FaultProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The will: published by the broker when a connection ends without a normal DISCONNECT, never
 * after one. A connection "dies" here by a {@link FaultProxy} resetting it, so the broker sees a
 * network failure exactly as it would if the client's host went away.
 */
abstract class WillBehaviour extends BrokerBehaviour {

    static MqttMessage will(String topic) {
        return MqttMessage.newBuilder(topic).payload("gone").qos(Qos.AT_LEAST_ONCE).build();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void theWillIsPublishedWhenTheConnectionDies(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("will");
        MqttMessage will = will(topic);
        if (version == ProtocolVersion.V5) {
            will = will.toBuilder().contentType("text/plain").userProperty("reason", "test").build();
        }
        try (MqttClient watcher = connect(version);
             Subscription wills = watcher.subscribe(topic, Qos.AT_LEAST_ONCE);
             FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = builder(version).reconnect(false).host(proxy.host()).port(proxy.port()).will(will).connect()) {
            // The will travels in the CONNECT [MQTT-3.1.2-9]; the broker publishes it when the
            // connection ends without DISCONNECT (server statement [MQTT-3.1.2-8]).
            proxy.cutAll();
            MqttMessage received = wills.receive(WAIT);
            assertNotNull(received, "the will was published");
            assertEquals("gone", received.payloadAsString());
            if (version == ProtocolVersion.V5) {
                // Will properties travel with it (MQTT 5, 3.1.3.2).
                assertEquals("text/plain", received.contentType());
                assertEquals(List.of(new UserProperty("reason", "test")), received.userProperties());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void theWillIsNotPublishedAfterANormalClose(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("no-will");
        try (MqttClient watcher = connect(version);
             Subscription wills = watcher.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            MqttClient client = builder(version).will(will(topic)).connect();
            // close() sends DISCONNECT, on which the broker discards the will (server statement
            // [MQTT-3.1.2-10]).
            client.close();
            assertNull(wills.receive(QUIET), "no will after a normal close");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void closeWithWillPublishesTheWillInMqtt5Only(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("close-with-will");
        try (MqttClient watcher = connect(version);
             Subscription wills = watcher.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            MqttClient client = builder(version).will(will(topic)).connect();
            client.closeWithWill(); // MQTT 5: DISCONNECT with reason code 0x04
            MqttMessage received = wills.receive(version == ProtocolVersion.V5 ? WAIT : QUIET);
            if (version == ProtocolVersion.V5) {
                assertNotNull(received, "DISCONNECT 0x04 asks for the will");
                assertEquals("gone", received.payloadAsString());
            } else {
                assertNull(received, "3.1.1 has no way to ask for the will on a normal close");
            }
        }
    }

    @Test
    void theWillWaitsForItsDelay() throws Exception {
        String topic = uniqueTopic("will-delay");
        try (MqttClient watcher = connect(ProtocolVersion.V5);
             Subscription wills = watcher.subscribe(topic, Qos.AT_LEAST_ONCE);
             FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = builder(ProtocolVersion.V5).reconnect(false).host(proxy.host()).port(proxy.port())
                     .identifier(uniqueIdentifier("will-delay")).sessionExpiry(Duration.ofSeconds(30))
                     .will(will(topic)).willDelay(Duration.ofSeconds(2)).connect()) {
            long cut = System.nanoTime();
            proxy.cutAll();
            MqttMessage received = wills.receive(WAIT);
            assertNotNull(received, "the will came after its delay");
            long afterMillis = Duration.ofNanos(System.nanoTime() - cut).toMillis();
            // Brokers check will delays about once a second: allow for that, but not for no delay at all.
            assertTrue(afterMillis >= 1_000, "the will waited for its delay of 2 s, came after " + afterMillis + " ms");
        }
    }

    @Test
    void aReconnectWithinTheWillDelayCancelsTheWill() throws Exception {
        String topic = uniqueTopic("will-cancelled");
        String identifier = uniqueIdentifier("will-cancelled");
        try (MqttClient watcher = connect(ProtocolVersion.V5);
             Subscription wills = watcher.subscribe(topic, Qos.AT_LEAST_ONCE);
             FaultProxy proxy = FaultProxy.start(broker().host(), broker().port())) {
            try (MqttClient client = builder(ProtocolVersion.V5).reconnect(false).host(proxy.host()).port(proxy.port())
                    .identifier(identifier).cleanStart(false).sessionExpiry(Duration.ofSeconds(30))
                    .will(will(topic)).willDelay(Duration.ofSeconds(30)).connect()) {
                proxy.cutAll();
            }
            // A new connection to the session before the will delay passed: no will (server
            // statement [MQTT-3.1.3-9]). Without session expiry the session ends with this
            // connection, and no will is left to publish.
            try (MqttClient again = builder(ProtocolVersion.V5).identifier(identifier).cleanStart(false).connect()) {
                assertTrue(again.connectResult().sessionPresent());
            }
            assertNull(wills.receive(QUIET), "no will once the client was back");
        }
    }
}
