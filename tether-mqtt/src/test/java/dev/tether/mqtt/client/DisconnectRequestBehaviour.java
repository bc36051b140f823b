package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.DisconnectRequest;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UserProperty;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a broker makes of the MQTT 5 packets a client may dress with more than the essentials: a
 * DISCONNECT with a reason code, reason string, user properties and a new session expiry, and
 * SUBSCRIBE and UNSUBSCRIBE with user properties.
 */
abstract class DisconnectRequestBehaviour extends BrokerBehaviour {

    private MqttClientBuilder persistent(String identifier) {
        return builder(ProtocolVersion.V5).identifier(identifier).cleanStart(false).sessionExpiry(Duration.ofMinutes(5));
    }

    private void discardSession(String identifier) throws Exception {
        builder(ProtocolVersion.V5).identifier(identifier).connect().close();
    }

    @Test
    void aSessionExpiryOfZeroOnDisconnectEndsTheSessionTheBrokerWouldKeep() throws Exception {
        String identifier = uniqueIdentifier("expiry-on-disconnect");
        persistent(identifier).connect().close(DisconnectRequest.newBuilder().sessionExpiry(Duration.ZERO).build());
        try (MqttClient again = persistent(identifier).connect()) {
            assertFalse(again.connectResult().sessionPresent(), "the DISCONNECT's session expiry of 0 ended the session");
        }
        discardSession(identifier);
    }

    @Test
    void aDisconnectThatKeepsTheSessionExpiryLeavesTheSessionToResume() throws Exception {
        String identifier = uniqueIdentifier("expiry-kept");
        persistent(identifier).connect().close(DisconnectRequest.newBuilder().sessionExpiry(Duration.ofMinutes(10))
                .reasonString("back soon").userProperty("shift", "night").build());
        try (MqttClient again = persistent(identifier).connect()) {
            assertTrue(again.connectResult().sessionPresent(), "the session waited for the client");
        }
        discardSession(identifier);
    }

    @Test
    void aDisconnectWithWillMessagePublishesTheWill() throws Exception {
        String topic = uniqueTopic("disconnect-request-will");
        try (MqttClient watcher = connect(ProtocolVersion.V5);
             Subscription wills = watcher.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            MqttClient client = builder(ProtocolVersion.V5).will(MqttMessage.of(topic, "gone")).connect();
            client.close(DisconnectRequest.newBuilder().reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                    .reasonString("shutting down").userProperty("host", "node-3").build());
            MqttMessage will = wills.receive(WAIT);
            assertNotNull(will, "DISCONNECT 0x04 has the broker publish the will");
            assertEquals("gone", will.payloadAsString());
        }
    }

    @Test
    void aNonZeroSessionExpiryOnDisconnectIsRefusedWhenTheConnectHadNone() throws Exception {
        try (MqttClient client = connect(ProtocolVersion.V5)) {
            DisconnectRequest request = DisconnectRequest.newBuilder().sessionExpiry(Duration.ofHours(1)).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.close(request));
            assertTrue(e.getMessage().contains("MQTT-3.14.2-2"), e.getMessage());
            assertEquals(ConnectionState.CONNECTED, client.state(), "refused before anything was closed");
        }
    }

    @Test
    void subscribeAndUnsubscribeWithUserPropertiesAreApplied() throws Exception {
        String topic = uniqueTopic("subscribe-user-properties");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription subscription = client.subscribe(SubscribeRequest.newBuilder().filter(topic, Qos.AT_LEAST_ONCE)
                     .userProperty("tenant", "acme").build())) {
            client.publish(topic, "first", Qos.AT_LEAST_ONCE);
            assertEquals("first", subscription.receive(WAIT).payloadAsString());
            client.unsubscribe(List.of(topic), List.of(UserProperty.of("tenant", "acme")));
            client.publish(topic, "after unsubscribing", Qos.AT_LEAST_ONCE);
            assertNull(subscription.receive(QUIET), "the broker unsubscribed the filter");
        }
    }
}
