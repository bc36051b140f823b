package dev.tether.mqtt.client;

import static dev.tether.mqtt.client.FakeBroker.bytes;
import static dev.tether.mqtt.client.FakeBroker.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the client answers the broker's PUBLISHes, with the fake broker sending each one on cue and
 * reading the answers: which packet, which identifier, in which order, and when an identifier
 * stands for a new message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncomingAcknowledgementTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PUBACK = 4;
    private static final int PUBREC = 5;
    private static final int PUBCOMP = 7;

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-2.3.1-6", "MQTT-3.3.4-1", "MQTT-4.3.2-2", "MQTT-4.3.3-2"},
        v5 = {"MQTT-2.2.1-5", "MQTT-3.3.4-1", "MQTT-4.3.2-4", "MQTT-4.3.2-5", "MQTT-4.3.3-8", "MQTT-4.3.3-10",
            "MQTT-4.3.3-11", "MQTT-4.3.3-12"})
    void eachPublishIsAnsweredAsItsQosSaysWithItsOwnPacketIdentifier(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        try (FakeBroker broker = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT
                ? FakeBroker.connack(v5, 0, null) : null);
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                     .protocol(version).keepAlive(Duration.ZERO).connect()) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send(publish(v5, 0, false, 0, "zero"));
            broker.send(publish(v5, 1, false, 7, "one"));
            broker.send(publish(v5, 2, false, 8, "two"));
            assertEquals("zero", messages.next().payloadAsString());
            assertEquals("one", messages.next().payloadAsString());
            assertEquals("two", messages.next().payloadAsString());
            broker.awaitAnswer(PUBACK, 7, WAIT);
            broker.awaitAnswer(PUBREC, 8, WAIT);

            broker.send(publish(v5, 2, true, 8, "two")); // the same message again, before its PUBREL
            broker.awaitAnswer(PUBREC, 8, WAIT);
            broker.send(packet(0x62, bytes("00 08")));
            broker.awaitAnswer(PUBCOMP, 8, WAIT);
            broker.send(publish(v5, 1, true, 7, "one, new")); // after its PUBACK: a new message, DUP or not
            broker.send(publish(v5, 2, false, 8, "two, new")); // after its PUBCOMP: a new message

            assertEquals("one, new", messages.next().payloadAsString(), "the copy of 'two' was not delivered twice");
            assertEquals("two, new", messages.next().payloadAsString());
            broker.awaitAnswer(PUBACK, 7, WAIT);
            broker.awaitAnswer(PUBREC, 8, WAIT);
        }
    }

    /**
     * A message the application drops unread (it closes its subscription) is acknowledged all the
     * same, and acknowledgements keep the order in which the messages came, even when a later one
     * was taken first.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-4.5.0-2", "MQTT-4.6.0-2"}, v5 = {"MQTT-4.5.0-2", "MQTT-4.6.0-2"})
    void aMessageDroppedUnreadIsAcknowledgedInItsTurn(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(), 1, null);
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(v5, packet.packetId());
            default -> null;
        }); MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                .protocol(version).keepAlive(Duration.ZERO).connect()) {
            Subscription dropped = client.subscribe("d", Qos.AT_LEAST_ONCE);
            Subscription read = client.subscribe("r", Qos.AT_LEAST_ONCE);
            broker.send(publishTo(v5, "d", 9));
            broker.send(publishTo(v5, "r", 10));
            // The reader routes in order: once 10 is here, 9 waits in the other subscription.
            assertNotNull(read.receive(WAIT));

            dropped.close();

            broker.awaitAnswer(PUBACK, 9, WAIT);
            broker.awaitAnswer(PUBACK, 10, WAIT);
        }
    }

    private static byte[] publish(boolean v5, int qos, boolean dup, int packetId, String payload) {
        StringBuilder hex = new StringBuilder("00 01 74"); // topic "t"
        if (qos > 0) {
            hex.append(String.format(" %02x %02x", packetId >> 8, packetId & 0xFF));
        }
        if (v5) {
            hex.append(" 00");
        }
        for (byte b : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hex.append(String.format(" %02x", b));
        }
        return packet(0x30 | (dup ? 0x08 : 0) | qos << 1, bytes(hex.toString()));
    }

    private static byte[] publishTo(boolean v5, String topic, int packetId) {
        String hex = String.format("00 01 %02x 00 %02x", (int) topic.charAt(0), packetId) + (v5 ? " 00" : "") + " 6d";
        return packet(0x32, bytes(hex));
    }

}
