package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MqttBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Limits a broker sets for the client: Mosquitto accepting packets of at most 1000 bytes and at
 * most 2 unacknowledged QoS 1/2 messages, which it announces in an MQTT 5 CONNACK as Maximum Packet
 * Size and Receive Maximum.
 */
@Tag("interop")
class MosquittoLimitsClientTest extends BrokerBehaviour {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto("max_packet_size 1000\nmax_inflight_messages 2\n");

    @Override
    MqttBroker broker() {
        return broker.broker();
    }

    @ParameterizedTest
    @EnumSource(value = Qos.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
    @Statement(v5 = "MQTT-3.2.2-15")
    void aMessageLargerThanTheBrokerAcceptsIsRefusedBeforeSending(Qos qos) throws Exception {
        String topic = uniqueTopic("too-large");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            assertEquals(1000, client.connectResult().maximumPacketSize());
            MqttException e = assertThrows(MqttException.class, () -> client.publish(topic, new byte[2000], qos));
            // Never send a packet larger than the server's Maximum Packet Size [MQTT-3.2.2-15].
            assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
            assertTrue(e.getMessage().contains("1000"), e.getMessage());
            // Nothing went out, and the connection carries on.
            client.publish(topic, "fits", Qos.AT_LEAST_ONCE);
            assertEquals("fits", subscription.receive(WAIT).payloadAsString());
            assertNull(subscription.receive(QUIET));
        }
    }

    @Test
    void aMessageThatFitsOnlyWithoutATopicAliasIsSentWithout() throws Exception {
        String topic = uniqueTopic("alias-edge");
        int topicLength = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        // A QoS 1 PUBLISH of exactly 1000 bytes: fixed header 3, topic 2 + length, packet
        // identifier 2, no properties 1, payload. Setting an alias would add 3 bytes of property.
        byte[] payload = new byte[1000 - 8 - topicLength];
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            assertTrue(client.connectResult().topicAliasMaximum() > 0);
            client.publish(topic, payload, Qos.AT_LEAST_ONCE);
            // Had the first message set an alias it never carried, this one would use it and the
            // broker would disconnect: the alias is set by a message it fits in.
            client.publish(topic, "next", Qos.AT_LEAST_ONCE);
            client.publish(topic, "and next", Qos.AT_LEAST_ONCE);
            assertEquals(payload.length, subscription.receive(WAIT).payloadSize());
            assertEquals("next", subscription.receive(WAIT).payloadAsString());
            assertEquals("and next", subscription.receive(WAIT).payloadAsString());
        }
    }

    @Test
    void aMqtt311ClientLearnsTheLimitOnlyByLosingTheConnection() throws Exception {
        // Without reconnecting: a reconnecting client would send the message again after each loss.
        try (MqttClient client = builder(ProtocolVersion.V3_1_1).reconnect(false).connect()) {
            // 3.1.1 has no Maximum Packet Size in CONNACK: the broker just closes the connection.
            MqttException e = assertThrows(MqttException.class,
                    () -> client.publish(uniqueTopic("too-large"), new byte[2000], Qos.AT_LEAST_ONCE));
            assertTrue(e.getMessage().contains("closed the connection") || e.getMessage().contains("lost"),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Qos.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    @Statement(v5 = "MQTT-3.3.4-7")
    void manyConcurrentPublishesStayWithinTheBrokersReceiveMaximum(Qos qos) throws Exception {
        String topic = uniqueTopic("receive-maximum");
        int count = 100;
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription subscription = client.subscribe(topic, Qos.EXACTLY_ONCE)) {
            assertEquals(2, client.connectResult().receiveMaximum());
            // All at once: the client keeps at most 2 awaiting acknowledgement and the others wait
            // for a slot ([MQTT-3.3.4-7], [MQTT-4.9.0-2]). Mosquitto answers a QoS 2 message
            // beyond its limit with PUBREC 0x97 (quota exceeded), which would fail the publish;
            // QoS 1 messages beyond it it accepts.
            List<CompletableFuture<PublishResult>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                results.add(client.publishAsync(MqttMessage.newBuilder(topic).payload("m" + i).qos(qos).build()));
            }
            for (CompletableFuture<PublishResult> result : results) {
                assertEquals(ReasonCode.SUCCESS, result.get(WAIT.toSeconds(), TimeUnit.SECONDS).reasonCode());
            }
            for (int i = 0; i < count; i++) {
                MqttMessage message = subscription.receive(WAIT);
                assertNotNull(message, "message " + i);
                assertEquals("m" + i, message.payloadAsString());
            }
        }
    }
}
