package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Subscription;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile broker that sends more than the client accepts is disconnected with the reason code
 * that says why: a packet above the announced maximum size gets PACKET_TOO_LARGE (0x95), too
 * many user properties IMPLEMENTATION_SPECIFIC_ERROR (0x83) with a reason string naming the limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboundLimitsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** The clients below connect with reconnect(false): after a loss a reconnecting client's receive waits, it does not throw. */
    static FakeBroker broker() {
        return FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(true, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(true, packet.packetId(), 0, null);
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(true, packet.packetId());
            default -> null;
        });
    }

    /** A QoS 0 PUBLISH to {@code t} with {@code userProperties} pairs of {@code "k"}/{@code "v"} and a payload. */
    static byte[] publish(int userProperties, int payloadBytes) {
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        for (int i = 0; i < userProperties; i++) {
            properties.write(0x26);
            properties.writeBytes(FakeBroker.string("k"));
            properties.writeBytes(FakeBroker.string("v"));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(FakeBroker.string("t"));
        int length = properties.size();
        do {
            int digit = length % 128;
            length /= 128;
            body.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        body.writeBytes(properties.toByteArray());
        body.writeBytes(new byte[payloadBytes]);
        return FakeBroker.packet(0x30, body.toByteArray());
    }

    @Test
    void aPacketAboveTheAnnouncedMaximumSizeDisconnectsWithPacketTooLarge() throws Exception {
        try (FakeBroker broker = broker();
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).reconnect(false)
                     .maximumPacketSize(1024).connect();
             Subscription subscription = client.subscribe("t", Qos.AT_MOST_ONCE)) {
            FakeBroker.Packet connect = broker.nextPacket(FakeBroker.Packet.CONNECT, WAIT);
            // Maximum Packet Size (0x27) = 1024 in the CONNECT's properties.
            assertTrue(new String(connect.body(), StandardCharsets.ISO_8859_1).contains("\u0027\0\0\u0004\0"),
                    "CONNECT announces the maximum packet size");
            broker.send(publish(0, 2000));
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "the client disconnected");
            assertEquals(ReasonCode.PACKET_TOO_LARGE.code(), disconnect.body()[0] & 0xFF);
            MqttException e = assertThrows(MqttException.class, () -> subscription.receive(WAIT));
            assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
        }
    }

    @Test
    void tooManyUserPropertiesDisconnectWithAReasonNamingTheLimit() throws Exception {
        try (FakeBroker broker = broker();
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).reconnect(false)
                     .maximumIncomingUserProperties(10, 1000).connect();
             Subscription subscription = client.subscribe("t", Qos.AT_MOST_ONCE)) {
            broker.send(publish(10, 1));
            assertNotNull(subscription.receive(WAIT), "ten user properties are within the limit");
            broker.send(publish(11, 1));
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "the client disconnected");
            assertEquals(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR.code(), disconnect.body()[0] & 0xFF);
            assertTrue(disconnect.contains("more than the limit of 10"), "the reason string names the limit");
            MqttException e = assertThrows(MqttException.class, () -> subscription.receive(WAIT));
            assertTrue(e.getMessage().contains("11 user properties"), e.getMessage());
        }
    }

    @Test
    void userPropertiesAboveTheByteLimitDisconnect() throws Exception {
        try (FakeBroker broker = broker();
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).reconnect(false)
                     .maximumIncomingUserProperties(1000, 100).connect();
             Subscription subscription = client.subscribe("t", Qos.AT_MOST_ONCE)) {
            broker.send(publish(51, 1)); // 102 bytes of names and values
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "the client disconnected");
            assertEquals(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR.code(), disconnect.body()[0] & 0xFF);
            MqttException e = assertThrows(MqttException.class, () -> subscription.receive(WAIT));
            assertTrue(e.getMessage().contains("102 bytes of user properties"), e.getMessage());
        }
    }
}
