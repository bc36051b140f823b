package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UserProperty;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 5 PUBLISH properties travel from publisher through the broker to subscriber. */
abstract class PropertiesBehaviour extends BrokerBehaviour {

    @Test
    void requestAndResponseTravelWithResponseTopicAndCorrelationData() throws Exception {
        String requestTopic = uniqueTopic("requests");
        String responseTopic = uniqueTopic("responses");
        byte[] correlation = {0, 1, 2, (byte) 0xFF};
        try (MqttClient requester = connect(ProtocolVersion.V5);
             Subscription responses = requester.subscribe(responseTopic, Qos.AT_LEAST_ONCE);
             MqttClient responder = connect(ProtocolVersion.V5);
             Subscription requests = responder.subscribe(requestTopic, Qos.AT_LEAST_ONCE)) {
            requester.publish(MqttMessage.newBuilder(requestTopic).payload("what time is it?").qos(Qos.AT_LEAST_ONCE)
                    .responseTopic(responseTopic).correlationData(correlation).build());

            MqttMessage request = requests.receive(WAIT);
            assertNotNull(request);
            assertEquals(responseTopic, request.responseTopic().name());
            assertArrayEquals(correlation, request.correlationData());
            responder.publish(MqttMessage.newBuilder(request.responseTopic().name()).payload("noon")
                    .qos(Qos.AT_LEAST_ONCE).correlationData(request.correlationData()).build());

            MqttMessage response = responses.receive(WAIT);
            assertNotNull(response);
            assertEquals("noon", response.payloadAsString());
            assertArrayEquals(correlation, response.correlationData());
            assertNull(response.responseTopic());
        }
    }

    @Test
    void payloadFormatContentTypeAndUserPropertiesArriveUnchanged() throws Exception {
        String topic = uniqueTopic("properties");
        List<UserProperty> properties = List.of(new UserProperty("unit", "°C"), new UserProperty("sensor", "a"),
                new UserProperty("sensor", "b"), new UserProperty("", ""));
        MqttMessage.Builder message = MqttMessage.newBuilder(topic).payload("{\"t\": 28.3}").qos(Qos.AT_LEAST_ONCE)
                .payloadIsUtf8(true).contentType("application/json");
        properties.forEach(p -> message.userProperty(p.name(), p.value()));
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            client.publish(message.build());
            client.publish(MqttMessage.newBuilder(topic).payload(new byte[] {1, 2}).payloadIsUtf8(false).build());
            client.publish(MqttMessage.newBuilder(topic).payload("plain").build());

            MqttMessage text = subscription.receive(WAIT);
            assertEquals(Boolean.TRUE, text.payloadIsUtf8());
            assertEquals("application/json", text.contentType());
            // In order, repeated names kept (server statement [MQTT-3.3.2-18]).
            assertEquals(properties, text.userProperties());
            assertEquals(Boolean.FALSE, subscription.receive(WAIT).payloadIsUtf8());
            MqttMessage plain = subscription.receive(WAIT);
            assertNull(plain.payloadIsUtf8());
            assertNull(plain.contentType());
            assertEquals(List.of(), plain.userProperties());
        }
    }

    @Test
    void theMessageExpiryIsPassedOnCountedDown() throws Exception {
        String topic = uniqueTopic("expiry");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            client.publish(MqttMessage.newBuilder(topic).payload("fresh").qos(Qos.AT_LEAST_ONCE)
                    .messageExpiry(Duration.ofSeconds(60)).build());
            MqttMessage received = subscription.receive(WAIT);
            assertNotNull(received.messageExpiry(), "the expiry is forwarded");
            // What is left of it (server statement [MQTT-3.3.2-6]).
            assertTrue(received.messageExpiry().compareTo(Duration.ofSeconds(60)) <= 0, received.messageExpiry().toString());
            assertTrue(received.messageExpiry().isPositive());
        }
    }

    @Test
    void anExpiredRetainedMessageIsNoLongerSent() throws Exception {
        String topic = uniqueTopic("retained-expiry");
        // Long enough that a slow machine still subscribes before it expires; brokers count whole seconds.
        Duration expiry = Duration.ofSeconds(5);
        try (MqttClient client = connect(ProtocolVersion.V5)) {
            client.publish(MqttMessage.newBuilder(topic).payload("short-lived").qos(Qos.AT_LEAST_ONCE).retain(true)
                    .messageExpiry(expiry).build());
            try (Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
                MqttMessage retained = subscription.receive(WAIT);
                assertNotNull(retained, "the retained message was sent before it expired");
                assertTrue(retained.messageExpiry().compareTo(expiry) <= 0, retained.messageExpiry().toString());
            }
            boolean expired = false;
            long deadline = System.nanoTime() + expiry.plus(WAIT).toNanos();
            // Subscribe again and again until the broker no longer has the retained message;
            // each round waits for it at most QUIET.
            while (!expired && System.nanoTime() < deadline) {
                try (Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
                    expired = subscription.receive(QUIET) == null;
                }
            }
            assertTrue(expired, "the retained message expired");
        }
    }

    @Test
    void aClientThatDeclinesProblemInformationStillGetsEverythingAPublishCarries() throws Exception {
        String topic = uniqueTopic("no-problem-information");
        try (MqttClient client = builder(ProtocolVersion.V5).requestProblemInformation(false).connect();
             Subscription subscription = client.subscribe(topic, Qos.EXACTLY_ONCE)) {
            // Every acknowledgement of QoS 1 and 2 both ways, and the SUBACK: the broker keeps them bare.
            client.publish(MqttMessage.newBuilder(topic).payload("one").qos(Qos.AT_LEAST_ONCE).userProperty("k", "1").build());
            client.publish(MqttMessage.newBuilder(topic).payload("two").qos(Qos.EXACTLY_ONCE).userProperty("k", "2").build());
            MqttMessage one = subscription.receive(WAIT);
            MqttMessage two = subscription.receive(WAIT);
            assertEquals(List.of(new UserProperty("k", "1")), one.userProperties(), "a PUBLISH keeps its user properties");
            assertEquals(List.of(new UserProperty("k", "2")), two.userProperties());
            assertEquals(ConnectionState.CONNECTED, client.state(), "the broker kept problem information off the other packets");
        }
    }
}
