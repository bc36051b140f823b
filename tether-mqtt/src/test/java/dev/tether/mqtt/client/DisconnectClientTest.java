package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttDisconnectException;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UserProperty;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DISCONNECT both ways, watched from a fake broker: what the client sends, and what it makes of the broker's. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DisconnectClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static FakeBroker acceptingBroker(boolean v5) {
        return FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(), 1, null);
            default -> null;
        });
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-3.14.4-1", "MQTT-3.14.4-2"}, v5 = {"MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void closeSendsDisconnectThenNothingMoreAndClosesTheConnection(ProtocolVersion version) throws Exception {
        try (FakeBroker broker = acceptingBroker(version == ProtocolVersion.V5)) {
            MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).protocol(version).connect();
            assertEquals(FakeBroker.Packet.CONNECT, broker.nextPacket(WAIT).type());
            client.close();
            FakeBroker.Packet disconnect = broker.nextPacket(WAIT);
            assertNotNull(disconnect);
            assertEquals(FakeBroker.Packet.DISCONNECT, disconnect.type());
            // After DISCONNECT the client closes the connection and sends nothing more
            // ([MQTT-3.14.4-1] and [MQTT-3.14.4-2], in both versions).
            assertTrue(broker.awaitClosedByClient(WAIT), "the client closed the connection");
            assertNull(broker.nextPacket(Duration.ZERO), "nothing after the DISCONNECT");
        }
    }

    @Test
    @Statement(v5 = "MQTT-4.13.2-1")
    void theReasonOfTheBrokersDisconnectReachesWhoeverWaits() throws Exception {
        try (FakeBroker broker = acceptingBroker(true);
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).connect();
             Subscription subscription = client.subscribe("news", Qos.AT_LEAST_ONCE)) {
            assertNull(subscription.receive(Duration.ofMillis(100)), "waiting before the DISCONNECT");
            broker.send(FakeBroker.disconnect(0x8B, "maintenance"));
            MqttException e = assertThrows(MqttException.class, subscription::receive);
            assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, e.reasonCode());
            assertTrue(e.getMessage().contains("maintenance"), e.getMessage());
            // A DISCONNECT with an error code ends the connection [MQTT-4.13.2-1]: the client
            // closes it, without a DISCONNECT of its own.
            assertTrue(broker.awaitClosedByClient(WAIT), "the client closed the connection");
            FakeBroker.Packet packet;
            while ((packet = broker.nextPacket(Duration.ZERO)) != null) {
                assertTrue(packet.type() != FakeBroker.Packet.DISCONNECT, "the client answered with a DISCONNECT");
            }
        }
    }

    @Test
    void everythingTheBrokersDisconnectSaidReachesTheListener() throws Exception {
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        try (FakeBroker broker = acceptingBroker(true);
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port())
                     .connectionListener(events::add).connect()) {
            assertInstanceOf(ConnectionEvent.Connected.class, events.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS));
            broker.send(new PropertyBytes().string(0x1F, "quota used up").pair(0x26, "retry-after", "3600")
                    .pair(0x26, "plan", "free").disconnect(0x97));

            ConnectionEvent.Lost lost = assertInstanceOf(ConnectionEvent.Lost.class, events.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS));
            assertEquals(ReasonCode.QUOTA_EXCEEDED, lost.reasonCode());
            assertEquals("quota used up", lost.reasonString());
            assertEquals(List.of(UserProperty.of("retry-after", "3600"), UserProperty.of("plan", "free")), lost.userProperties());
            MqttDisconnectException cause = assertInstanceOf(MqttDisconnectException.class, lost.cause());
            assertEquals(lost.userProperties(), cause.userProperties());
            assertNull(cause.serverReference());
            // The same exception fails what the lost connection leaves undone.
            MqttException publish = assertThrows(MqttException.class, () -> client.publish("a", "b", Qos.AT_LEAST_ONCE));
            assertEquals(ReasonCode.QUOTA_EXCEEDED, publish.reasonCode());
        }
    }
}
