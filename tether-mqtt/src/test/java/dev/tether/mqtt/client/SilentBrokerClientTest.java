package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A broker that accepts the connection, then never answers a PINGREQ. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SilentBrokerClientTest {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-3.1.2-23", v5 = "MQTT-3.1.2-20")
    void aBrokerThatDoesNotAnswerPingsIsDeclaredDead(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(), 1, null);
            default -> null; // PINGREQ goes unanswered
        });
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).protocol(version)
                     .keepAlive(KEEP_ALIVE).connect()) {
            // Taken before the SUBACK, the last packet from the broker, arrives: the silence lasts at
            // least this long, however late the test thread runs after subscribe() returns.
            long lastAnswer = System.nanoTime();
            Subscription subscription = client.subscribe("silent", Qos.AT_LEAST_ONCE);

            // Idle for the keep alive, the client pings ([MQTT-3.1.2-23] in 3.1.1, [MQTT-3.1.2-20] in 5).
            assertNotNull(broker.nextPacket(FakeBroker.Packet.PINGREQ, Duration.ofSeconds(5)), "a PINGREQ came");

            MqttException e = assertThrows(MqttException.class, subscription::receive);
            long millis = Duration.ofNanos(System.nanoTime() - lastAnswer).toMillis();
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, e.reasonCode(), e.getMessage());
            // 1.5 keep alives of silence, declared at that deadline; a loaded machine may add some
            // seconds, but not another keep alive's worth of waiting on top of those.
            assertTrue(millis >= 1_500, "declared dead too early, after " + millis + " ms");
            assertTrue(millis <= 1_500 + 250 + 3_000, "declared dead too late, after " + millis + " ms");
            assertTrue(broker.awaitClosedByClient(Duration.ofSeconds(5)), "the client closed the connection");
        }
    }
}
