package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An MQTT 5 broker that sends topic aliases to the client, which neither HiveMQ CE nor Mosquitto
 * 2.0.11 does: a fake broker answers the SUBSCRIBE with its SUBACK and two QoS 0 PUBLISHes, the
 * first setting an alias, the second using it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AliasingBrokerClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A QoS 0 PUBLISH with a Topic Alias property. */
    static byte[] publish(String topic, int alias, String payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(FakeBroker.string(topic));
        body.writeBytes(new byte[] {3, 0x23, (byte) (alias >> 8), (byte) alias});
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return FakeBroker.packet(0x30, body.toByteArray());
    }

    static FakeBroker brokerSending(byte[]... publishes) {
        return FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(true, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> {
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                answer.writeBytes(FakeBroker.suback(true, packet.packetId(), 0, null));
                for (byte[] publish : publishes) {
                    answer.writeBytes(publish);
                }
                yield answer.toByteArray();
            }
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(true, packet.packetId());
            default -> null;
        });
    }

    @Test
    @Statement(v5 = "MQTT-3.3.2-10")
    void aliasesWithinTheClientsMaximumAreResolved() throws Exception {
        try (FakeBroker broker = brokerSending(publish("sensors/1", 16, "set"), publish("", 16, "used"));
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                     .topicAliasMaximum(16).connect();
             Subscription subscription = client.subscribe("sensors/#", Qos.AT_MOST_ONCE)) {
            // Every alias from 1 to the maximum the client announced is accepted [MQTT-3.3.2-10].
            MqttMessage first = subscription.receive(WAIT);
            MqttMessage second = subscription.receive(WAIT);
            assertNotNull(second);
            assertEquals("sensors/1", first.topic().name());
            assertEquals("sensors/1", second.topic().name());
            assertEquals("used", second.payloadAsString());
        }
    }

    @Test
    void anAliasAboveTheClientsMaximumEndsTheConnection() throws Exception {
        try (FakeBroker broker = brokerSending(publish("sensors/1", 17, "too high"));
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                     .topicAliasMaximum(16).connect();
             Subscription subscription = client.subscribe("sensors/#", Qos.AT_MOST_ONCE)) {
            MqttException e = assertThrows(MqttException.class, () -> subscription.receive(WAIT));
            assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, e.reasonCode());
            // The client says why before it closes the connection.
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "a DISCONNECT came");
            assertEquals(0x94, disconnect.body()[0] & 0xFF);
        }
    }
}
