package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.DisconnectRequest;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.UserProperty;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bytes of a DISCONNECT, SUBSCRIBE and UNSUBSCRIBE that carry more than the essentials, as
 * a fake broker sees them, and what the client refuses to send.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestPropertiesClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static FakeBroker acceptingBroker(boolean v5) {
        return FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(), 1, null);
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(v5, packet.packetId());
            default -> null;
        });
    }

    /** A user property as it is on the wire: 0x26, then name and value as MQTT strings. */
    private static byte[] userProperty(String name, String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0x26);
        bytes.writeBytes(FakeBroker.string(name));
        bytes.writeBytes(FakeBroker.string(value));
        return bytes.toByteArray();
    }

    private static boolean contains(byte[] body, byte[] part) {
        for (int i = 0; i + part.length <= body.length; i++) {
            if (Arrays.equals(body, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theDisconnectCarriesTheReasonCodeReasonStringUserPropertiesAndSessionExpiry() throws Exception {
        try (FakeBroker broker = acceptingBroker(true)) {
            MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                    .sessionExpiry(Duration.ofMinutes(1)).connect();
            client.close(DisconnectRequest.newBuilder().reasonCode(ReasonCode.ADMINISTRATIVE_ACTION)
                    .reasonString("decommissioned").sessionExpiry(Duration.ZERO).userProperty("by", "ops").build());
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect);
            assertEquals(0x98, disconnect.body()[0] & 0xFF, "the reason code");
            assertTrue(contains(disconnect.body(), new byte[] {0x11, 0, 0, 0, 0}), "Session Expiry Interval 0");
            assertTrue(contains(disconnect.body(), userProperty("by", "ops")), "the user property");
            assertTrue(disconnect.contains("decommissioned"), "the reason string");
            assertTrue(broker.awaitClosedByClient(WAIT));
        }
    }

    @Test
    void aPlainRequestSendsTheShortestDisconnect() throws Exception {
        try (FakeBroker broker = acceptingBroker(true)) {
            MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).connect();
            client.close(DisconnectRequest.newBuilder().build());
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect);
            assertArrayEquals(new byte[0], disconnect.body(), "0x00 and no properties may be left out");
        }
    }

    @Test
    void subscribeAndUnsubscribeCarryTheirUserProperties() throws Exception {
        try (FakeBroker broker = acceptingBroker(true);
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).connect()) {
            client.subscribe(SubscribeRequest.newBuilder().filter("a/#", Qos.AT_LEAST_ONCE)
                    .userProperty("tenant", "acme").userProperty("tenant", "other").build());
            FakeBroker.Packet subscribe = broker.nextPacket(FakeBroker.Packet.SUBSCRIBE, WAIT);
            assertNotNull(subscribe);
            assertTrue(contains(subscribe.body(), userProperty("tenant", "acme")));
            assertTrue(contains(subscribe.body(), userProperty("tenant", "other")), "a name may repeat");
            client.unsubscribe(List.of("a/#"), List.of(UserProperty.of("reason", "done")));
            FakeBroker.Packet unsubscribe = broker.nextPacket(FakeBroker.Packet.UNSUBSCRIBE, WAIT);
            assertNotNull(unsubscribe);
            assertTrue(contains(unsubscribe.body(), userProperty("reason", "done")));
        }
    }

    @Test
    void onlyAClientsReasonCodesAreAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DisconnectRequest.newBuilder().reasonCode(ReasonCode.SERVER_MOVED));
        assertTrue(e.getMessage().contains("MQTT-3.14.2-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DisconnectRequest.newBuilder().reasonCode(ReasonCode.SUCCESS));
        assertThrows(IllegalArgumentException.class,
                () -> DisconnectRequest.newBuilder().sessionExpiry(Duration.ofSeconds(0x1_0000_0000L)));
        DisconnectRequest.newBuilder().reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .reasonCode(ReasonCode.PAYLOAD_FORMAT_INVALID).build();
    }

    @Test
    void mqtt311RefusesWhatItCannotSay() throws Exception {
        try (FakeBroker broker = acceptingBroker(false);
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                     .protocol(ProtocolVersion.V3_1_1).connect()) {
            assertThrows(IllegalArgumentException.class, () -> client.subscribe(SubscribeRequest.newBuilder()
                    .filter("a/#", Qos.AT_LEAST_ONCE).userProperty("k", "v").build()));
            assertThrows(IllegalArgumentException.class,
                    () -> client.unsubscribe(List.of("a/#"), List.of(UserProperty.of("k", "v"))));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.close(
                    DisconnectRequest.newBuilder().reasonString("bye").build()));
            assertTrue(e.getMessage().contains("MQTT 5"), e.getMessage());
            client.close(DisconnectRequest.newBuilder().build());
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "a plain request is a 3.1.1 DISCONNECT");
            assertEquals(0, disconnect.body().length);
        }
    }
}
