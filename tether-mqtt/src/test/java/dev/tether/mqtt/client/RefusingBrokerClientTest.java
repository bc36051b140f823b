package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttSubscribeException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.TopicFilter;
import dev.tether.mqtt.UserProperty;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** A broker that refuses a connection or a subscription with the code the test chooses. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RefusingBrokerClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @CsvSource({
        "1, UNSUPPORTED_PROTOCOL_VERSION",
        "2, CLIENT_IDENTIFIER_NOT_VALID",
        "3, SERVER_UNAVAILABLE",
        "4, BAD_USER_NAME_OR_PASSWORD",
        "5, NOT_AUTHORIZED"})
    void aRefusedConnectionReportsTheReturnCodeOf311(int returnCode, ReasonCode expected) throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> FakeBroker.connack(false, returnCode, null))) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> MqttClient.newBuilder()
                    .host(broker.host()).port(broker.port()).protocol(ProtocolVersion.V3_1_1).connect());
            assertEquals(expected, e.reasonCode());
            assertTrue(e.getMessage().contains(expected.describe()), e.getMessage());
            assertTrue(broker.awaitClosedByClient(WAIT), "the client closed the refused connection");
        }
    }

    @Test
    @Statement(v5 = "MQTT-4.13.2-1")
    void aRefusedConnectionReportsTheReasonCodeAndReasonStringOf5() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> FakeBroker.connack(true, 0x86, "wrong password"))) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> MqttClient.newBuilder()
                    .host(broker.host()).port(broker.port()).credentials("user", new char[] {'x'}).connect());
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, e.reasonCode());
            assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
            // A CONNACK with an error code ends the connection [MQTT-4.13.2-1].
            assertTrue(broker.awaitClosedByClient(WAIT), "the client closed the refused connection");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aRefusedSubscriptionReportsTheCodeAndIsNotKept(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        int refusal = v5 ? 0x87 : 0x80; // 3.1.1 has one failure code
        AtomicInteger subscribes = new AtomicInteger();
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(),
                    subscribes.incrementAndGet() == 1 ? refusal : 1, v5 ? "not for you" : null);
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(v5, packet.packetId());
            default -> null;
        });
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).protocol(version).connect()) {
            MqttException e = assertThrows(MqttException.class, () -> client.subscribe("secret/#", Qos.AT_LEAST_ONCE));
            assertEquals(v5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR, e.reasonCode());
            assertTrue(e.getMessage().contains("secret/#"), e.getMessage());
            if (v5) {
                assertTrue(e.getMessage().contains("not for you"), e.getMessage());
            }

            // The refused subscription is not kept: had it been, it would still "use" the filter,
            // and closing the next subscription to it would not unsubscribe.
            Subscription granted = client.subscribe("secret/#", Qos.AT_LEAST_ONCE);
            granted.close();
            FakeBroker.Packet unsubscribe = broker.nextPacket(FakeBroker.Packet.UNSUBSCRIBE, WAIT);
            assertNotNull(unsubscribe, "closing the granted subscription unsubscribed");
            assertTrue(unsubscribe.contains("secret/#"));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aPartlyRefusedSubscriptionTellsEveryFiltersCodeAndUnsubscribesTheGrantedOnes(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        int refusal = v5 ? 0x87 : 0x80;
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> v5
                    ? new PropertyBytes().string(0x1F, "b is private").pair(0x26, "policy", "p-7")
                            .suback(packet.packetId(), 0x01, refusal, 0x00)
                    : FakeBroker.packet(0x90, new byte[] {(byte) (packet.packetId() >> 8), (byte) packet.packetId(),
                            0x01, (byte) refusal, 0x00});
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(v5, packet.packetId(), 2);
            default -> null;
        });
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).protocol(version).connect()) {
            SubscribeRequest request = SubscribeRequest.newBuilder().filter("a/#", Qos.AT_LEAST_ONCE)
                    .filter("b/#", Qos.AT_LEAST_ONCE).filter("c/#", Qos.AT_MOST_ONCE).build();
            MqttSubscribeException e = assertThrows(MqttSubscribeException.class, () -> client.subscribe(request));

            ReasonCode refused = v5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR;
            assertEquals(refused, e.reasonCode());
            assertEquals(List.of(ReasonCode.GRANTED_QOS_1, refused, ReasonCode.GRANTED_QOS_0), e.result().reasonCodes());
            assertEquals(request.filters(), e.filters());
            assertEquals(List.of(TopicFilter.of("b/#")), e.refusedFilters());
            assertTrue(e.getMessage().contains("'b/#'") && !e.getMessage().contains("'a/#'"), e.getMessage());
            assertTrue(e.getMessage().contains("unsubscribed again"), e.getMessage());
            if (v5) {
                assertEquals("b is private", e.result().reasonString());
                assertEquals(List.of(UserProperty.of("policy", "p-7")), e.result().userProperties());
            }

            // All or nothing: the filters the broker granted are unsubscribed again, in one UNSUBSCRIBE.
            FakeBroker.Packet unsubscribe = broker.nextPacket(FakeBroker.Packet.UNSUBSCRIBE, WAIT);
            assertNotNull(unsubscribe, "the granted filters were unsubscribed");
            assertTrue(unsubscribe.contains("a/#") && unsubscribe.contains("c/#") && !unsubscribe.contains("b/#"));
        }
    }
}
