package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MQTT 5 subscription identifiers: chosen by the application, by the client, or none at all. */
abstract class SubscriptionIdentifierBehaviour extends BrokerBehaviour {

    private static SubscribeRequest request(String filter, int identifier) {
        return SubscribeRequest.newBuilder().filter(filter, Qos.AT_LEAST_ONCE).subscriptionIdentifier(identifier).build();
    }

    /** Every message the reader gets until it stays quiet. */
    private static List<MqttMessage> messages(MessageReader reader) throws Exception {
        List<MqttMessage> messages = new ArrayList<>();
        MqttMessage message = reader.next(WAIT);
        while (message != null) {
            messages.add(message);
            message = reader.next(QUIET);
        }
        return messages;
    }

    @Test
    void theIdentifierTheApplicationChoseComesBackOnItsMessages() throws Exception {
        String base = uniqueTopic("chosen");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription alerts = client.subscribe(request(base + "/alerts/#", 42));
             Subscription readings = client.subscribe(request(base + "/readings/#", 268_435_455));
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            assertEquals(42, alerts.identifier());
            assertEquals(268_435_455, readings.identifier());
            publisher.publish(base + "/alerts/fire", "alert", Qos.AT_LEAST_ONCE);
            publisher.publish(base + "/readings/1", "reading", Qos.AT_LEAST_ONCE);

            MqttMessage alert = alerts.receive(WAIT);
            assertEquals("alert", alert.payloadAsString());
            assertEquals(List.of(42), alert.subscriptionIdentifiers());
            MqttMessage reading = readings.receive(WAIT);
            assertEquals("reading", reading.payloadAsString());
            assertEquals(List.of(268_435_455), reading.subscriptionIdentifiers());
            assertNull(alerts.receive(QUIET), "each subscription got only its own message");
        }
    }

    @Test
    void overlappingSubscriptionsWithChosenIdentifiersTellTheirCopiesApart() throws Exception {
        String base = uniqueTopic("chosen-overlap");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription everything = client.subscribe(request(base + "/#", 1));
             Subscription oneLevel = client.subscribe(request(base + "/+", 2));
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            MessageReader all = new MessageReader(client.messages());
            assertNull(everything.poll()); // both are being consumed before the message comes
            assertNull(oneLevel.poll());
            publisher.publish(base + "/x", "both", Qos.AT_LEAST_ONCE);

            // One copy with both identifiers (HiveMQ CE) or one copy per identifier (Mosquitto):
            // either way the copies carry exactly the two chosen ones.
            Set<Integer> identifiers = new HashSet<>();
            for (MqttMessage copy : messages(all)) {
                identifiers.addAll(copy.subscriptionIdentifiers());
            }
            assertEquals(Set.of(1, 2), identifiers);
            assertEquals(List.of("both"), drain(everything));
            assertEquals(List.of("both"), drain(oneLevel));
        }
    }

    @Test
    void theClientNumbersOnlyWhatTheApplicationLeftOpenAndSkipsIdentifiersInUse() throws Exception {
        String base = uniqueTopic("automatic");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription chosen = client.subscribe(request(base + "/a", 1));
             Subscription numbered = client.subscribe(base + "/b", Qos.AT_LEAST_ONCE);
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            assertEquals(1, chosen.identifier());
            assertNotEquals(0, numbered.identifier(), "a subscription without an identifier gets one of the client's");
            assertNotEquals(1, numbered.identifier(), "the client does not reuse the application's identifier");
            publisher.publish(base + "/b", "numbered", Qos.AT_LEAST_ONCE);
            MqttMessage message = numbered.receive(WAIT);
            assertEquals(List.of(numbered.identifier()), message.subscriptionIdentifiers());
            assertNull(chosen.poll());
        }
    }

    @Test
    void withAutomaticIdentifiersOffOnlyTheChosenOnesAreSentAndFiltersRoute() throws Exception {
        String base = uniqueTopic("no-automatic");
        try (MqttClient client = builder(ProtocolVersion.V5).automaticSubscriptionIdentifiers(false).connect();
             Subscription everything = client.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
             Subscription oneLevel = client.subscribe(base + "/+", Qos.AT_LEAST_ONCE);
             Subscription tagged = client.subscribe(request(base + "/tagged/#", 9));
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            assertEquals(0, everything.identifier());
            assertEquals(0, oneLevel.identifier());
            assertNull(everything.poll()); // all three are being consumed before the messages come
            assertNull(oneLevel.poll());
            assertNull(tagged.poll());

            publisher.publish(base + "/x", "plain", Qos.AT_LEAST_ONCE);
            MqttMessage plain = everything.receive(WAIT);
            assertNotNull(plain);
            assertTrue(plain.subscriptionIdentifiers().isEmpty(), plain.subscriptionIdentifiers().toString());
            // Routed by filter: both overlapping subscriptions get it (at least once each; without
            // identifiers, copies cannot be told apart).
            List<String> oneLevelGot = drain(oneLevel);
            assertFalse(oneLevelGot.isEmpty());
            assertTrue(oneLevelGot.stream().allMatch("plain"::equals), oneLevelGot.toString());

            publisher.publish(base + "/tagged/y", "tagged", Qos.AT_LEAST_ONCE);
            MqttMessage message = tagged.receive(WAIT);
            assertEquals(List.of(9), message.subscriptionIdentifiers(), "only the application's identifier");
            // A broker that sends a copy per subscription (Mosquitto) sends the one for
            // '/#' untagged: it is not the tagged subscription's.
            assertNull(tagged.receive(QUIET), "the tagged subscription got its own copy only");
        }
    }

    @Test
    void anIdentifierNeedsMqtt5() throws Exception {
        try (MqttClient client = connect(ProtocolVersion.V3_1_1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.subscribe(request(uniqueTopic("v311"), 5)));
            assertTrue(e.getMessage().contains("MQTT 5"), e.getMessage());
            try (Subscription plain = client.subscribe(uniqueTopic("v311"), Qos.AT_LEAST_ONCE)) {
                assertEquals(0, plain.identifier(), "MQTT 3.1.1 has no identifiers");
            }
        }
    }
}
