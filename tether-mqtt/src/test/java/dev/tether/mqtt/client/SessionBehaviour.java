package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sessions that outlive a connection: clean start false (clean session false in 3.1.1), with a
 * session expiry in MQTT 5. The client has no reconnect of its own yet, so "reconnecting" here is
 * a new client with the same identifier, which is exactly what the broker sees.
 */
abstract class SessionBehaviour extends BrokerBehaviour {

    /** A client that asks the broker to keep its session after the connection ends. */
    MqttClientBuilder persistent(ProtocolVersion version, String identifier) {
        MqttClientBuilder builder = builder(version).identifier(identifier).cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }

    /** Ends the session the broker keeps for {@code identifier}, so tests leave none behind. */
    void discardSession(ProtocolVersion version, String identifier) throws Exception {
        try (MqttClient client = builder(version).identifier(identifier).cleanStart(true).connect()) {
            assertFalse(client.connectResult().sessionPresent());
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-3.1.2-4", "MQTT-3.1.3-2"}, v5 = {"MQTT-3.1.2-23", "MQTT-3.1.3-2"})
    void messagesPublishedWhileAwayReachTheResumedSession(ProtocolVersion version) throws Exception {
        String identifier = uniqueIdentifier("offline");
        String topic = uniqueTopic("offline");
        try (MqttClient client = persistent(version, identifier).connect()) {
            assertFalse(client.connectResult().sessionPresent(), "a new session");
            client.subscribe(topic, Qos.AT_LEAST_ONCE);
        }
        try (MqttClient publisher = connect(version)) {
            for (int i = 0; i < 3; i++) {
                publisher.publish(topic, "while away " + i, Qos.AT_LEAST_ONCE);
            }
        }
        try (MqttClient client = persistent(version, identifier).connect()) {
            // The broker kept the session, subscription and queued messages included
            // [MQTT-3.1.2-4] in 3.1.1, [MQTT-3.1.2-23] in 5.
            assertTrue(client.connectResult().sessionPresent(), "the session was resumed");
            // The queued messages come right after the CONNACK, before the application could
            // subscribe: client.messages() keeps them for a resumed session, even when it is opened
            // late, here after a round trip that the queued messages surely came before.
            client.publish(uniqueTopic("round-trip"), "after the queued messages", Qos.AT_LEAST_ONCE);
            MessageReader all = new MessageReader(client.messages());
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MqttMessage message = all.next(WAIT);
                assertNotNull(message, "queued message " + i);
                assertEquals(topic, message.topic().name());
                received.add(message.payloadAsString());
            }
            assertEquals(List.of("while away 0", "while away 1", "while away 2"), received);

            // Subscribing again gives a stream for what comes next once it is being consumed; the
            // broker's subscription is still there.
            try (Subscription again = client.subscribe(topic, Qos.AT_LEAST_ONCE);
                 MqttClient publisher = connect(version)) {
                assertNull(again.poll());
                publisher.publish(topic, "back", Qos.AT_LEAST_ONCE);
                assertEquals("back", again.receive(WAIT).payloadAsString());
                assertEquals("back", all.next(WAIT).payloadAsString(), "messages() sees it too");
            }
        }
        discardSession(version, identifier);
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aMessageTheApplicationNeverTookIsDeliveredAgainToTheResumedSession(ProtocolVersion version) throws Exception {
        String identifier = uniqueIdentifier("redeliver");
        String topic = uniqueTopic("redeliver");
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port()).record(true);
             MqttClient publisher = connect(version)) {
            try (MqttClient first = persistent(version, identifier).host(proxy.host()).port(proxy.port()).connect()) {
                first.subscribe(topic, Qos.AT_LEAST_ONCE); // not closed: closing it would acknowledge what it holds
                publisher.publish(topic, "never taken", Qos.AT_LEAST_ONCE);
                assertTrue(proxy.awaitServerBytes("never taken", WAIT), "the message reached the first client");
            } // closed with DISCONNECT, the message still in the subscription's buffer
            try (MqttClient second = persistent(version, identifier).connect()) {
                assertTrue(second.connectResult().sessionPresent());
                second.publish(uniqueTopic("round-trip"), "after the redelivery", Qos.AT_LEAST_ONCE);
                // The first client did not acknowledge a message the application never took
                // ([MQTT-4.3.2-2] in 3.1.1, [MQTT-4.3.2-4] in 5: PUBACK once it owns the message),
                // so the broker sends it again to the resumed session (its side of [MQTT-4.4.0-1]).
                MqttMessage again = new MessageReader(second.messages()).next(WAIT);
                assertNotNull(again, "the unacknowledged message was delivered again");
                assertEquals("never taken", again.payloadAsString());
            }
            try (MqttClient third = persistent(version, identifier).connect()) {
                assertTrue(third.connectResult().sessionPresent());
                // The second client took it, so it acknowledged it: nothing comes a third time.
                assertNull(new MessageReader(third.messages()).next(QUIET), "acknowledged once taken");
            }
        }
        discardSession(version, identifier);
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-3.1.2-6", v5 = "MQTT-3.1.2-4")
    void cleanStartDiscardsTheSession(ProtocolVersion version) throws Exception {
        String identifier = uniqueIdentifier("clean");
        String topic = uniqueTopic("clean");
        try (MqttClient client = persistent(version, identifier).connect()) {
            client.subscribe(topic, Qos.AT_LEAST_ONCE);
        }
        try (MqttClient client = builder(version).identifier(identifier).cleanStart(true).connect();
             MqttClient publisher = connect(version)) {
            // [MQTT-3.1.2-6] in 3.1.1, [MQTT-3.1.2-4] in 5: the old session and its subscription are gone.
            assertFalse(client.connectResult().sessionPresent());
            MessageReader all = new MessageReader(client.messages());
            publisher.publish(topic, "to nobody", Qos.AT_LEAST_ONCE);
            assertNull(all.next(QUIET), "the discarded subscription delivers nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void withoutSessionExpiryOrWithCleanSessionNothingIsKept(ProtocolVersion version) throws Exception {
        String identifier = uniqueIdentifier("no-expiry");
        // MQTT 5: clean start false but session expiry 0 ends the session with the connection
        // [MQTT-3.1.2-23]; 3.1.1: clean session true discards it when the connection ends.
        MqttClientBuilder builder = builder(version).identifier(identifier).cleanStart(version == ProtocolVersion.V3_1_1);
        try (MqttClient client = builder.connect()) {
            client.subscribe(uniqueTopic("no-expiry"), Qos.AT_LEAST_ONCE);
        }
        try (MqttClient client = builder(version).identifier(identifier).cleanStart(false).connect()) {
            assertFalse(client.connectResult().sessionPresent());
        }
        discardSession(version, identifier);
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-3.1.3-7")
    void anEmptyIdentifierGetsOneFromTheBrokerOrTheClient(ProtocolVersion version) throws Exception {
        try (MqttClient client = builder(version).identifier("").connect()) {
            String identifier = client.connectResult().clientIdentifier();
            // MQTT 5: the broker assigns one and says so in the CONNACK (server statement
            // [MQTT-3.2.2-16]); 3.1.1: the client generates one, so no session is keyed on "".
            assertNotNull(identifier);
            assertFalse(identifier.isEmpty(), "an identifier is in use");
            try (MqttClient other = builder(version).identifier("").connect()) {
                assertFalse(identifier.equals(other.connectResult().clientIdentifier()), "each client gets its own");
            }
        }
    }

    @Test
    void theSessionEndsWhenItsExpiryPasses() throws Exception {
        String identifier = uniqueIdentifier("expiry");
        String willTopic = uniqueTopic("expiry-will");
        try (MqttClient watcher = connect(ProtocolVersion.V5);
             Subscription wills = watcher.subscribe(willTopic, Qos.AT_LEAST_ONCE);
             FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = builder(ProtocolVersion.V5).reconnect(false).host(proxy.host()).port(proxy.port())
                     .identifier(identifier).cleanStart(false).sessionExpiry(Duration.ofSeconds(1))
                     .will(MqttMessage.of(willTopic, "session ended")).willDelay(Duration.ofMinutes(10)).connect()) {
            client.subscribe(uniqueTopic("expiry"), Qos.AT_LEAST_ONCE);
            proxy.cutAll();
            // The broker publishes the will when its delay passed or the session ended, whichever
            // comes first (MQTT 5, 3.1.2.5): with a delay of 10 minutes, the will is the sign that
            // the session ended once its expiry of 1 s had passed.
            MqttMessage will = wills.receive(WAIT);
            assertNotNull(will, "the session ended");
            assertEquals("session ended", will.payloadAsString());
        }
        try (MqttClient client = persistent(ProtocolVersion.V5, identifier).connect()) {
            assertFalse(client.connectResult().sessionPresent(), "the expired session is gone");
        }
        discardSession(ProtocolVersion.V5, identifier);
    }
}
