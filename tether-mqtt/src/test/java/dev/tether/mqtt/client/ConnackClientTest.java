package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectResult;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole CONNACK in {@link ConnectResult} and {@link MqttConnectException}: what the broker sent, and what it left to the defaults. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnackClientTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Test
    void everyPropertyOfTheConnackReachesTheResultAndIsMarkedAsSent() throws Exception {
        byte[] connack = new PropertyBytes()
                .string(0x12, "assigned-7")         // Assigned Client Identifier
                .twoBytes(0x13, 20)                 // Server Keep Alive
                .fourBytes(0x11, 120)               // Session Expiry Interval
                .twoBytes(0x21, 10)                 // Receive Maximum
                .oneByte(0x24, 1)                   // Maximum QoS
                .string(0x1F, "welcome")            // Reason String
                .pair(0x26, "region", "eu-1")       // User Property
                .string(0x1A, "replies/7")          // Response Information
                .string(0x1C, "other:1883")         // Server Reference
                .connack(false, 0);
        try (FakeBroker fake = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT ? connack : null);
             MqttClient client = MqttClient.newBuilder().host(fake.host()).port(fake.port()).reconnect(false)
                     .keepAlive(Duration.ofSeconds(60)).requestResponseInformation(true).connect()) {
            FakeBroker.Packet connect = fake.nextPacket(FakeBroker.Packet.CONNECT, Duration.ofSeconds(10));
            assertTrue(connect.contains(new String(new byte[] {0x19, 1}, java.nio.charset.StandardCharsets.ISO_8859_1)),
                    "CONNECT carries Request Response Information = 1");
            ConnectResult result = client.connectResult();
            assertEquals("assigned-7", result.clientIdentifier());
            assertEquals("assigned-7", result.assignedClientIdentifier());
            assertEquals(Duration.ofSeconds(20), result.keepAlive());
            assertEquals(Duration.ofSeconds(20), result.serverKeepAlive());
            assertEquals(Duration.ofSeconds(120), result.sessionExpiry());
            assertEquals(10, result.receiveMaximum());
            assertEquals(Qos.AT_LEAST_ONCE, result.maximumQos());
            assertEquals("welcome", result.reasonString());
            assertEquals(List.of(UserProperty.of("region", "eu-1")), result.userProperties());
            assertEquals("replies/7", result.responseInformation());
            assertEquals("other:1883", result.serverReference());
            for (ConnectResult.Property sent : List.of(ConnectResult.Property.ASSIGNED_CLIENT_IDENTIFIER,
                    ConnectResult.Property.SERVER_KEEP_ALIVE, ConnectResult.Property.SESSION_EXPIRY_INTERVAL,
                    ConnectResult.Property.RECEIVE_MAXIMUM, ConnectResult.Property.MAXIMUM_QOS)) {
                assertTrue(result.isSet(sent), sent + " was sent");
            }
            assertFalse(result.isSet(ConnectResult.Property.TOPIC_ALIAS_MAXIMUM));
            assertFalse(result.isSet(ConnectResult.Property.RETAIN_AVAILABLE));
            assertEquals(5, result.propertiesSet().size());
        }
    }

    @Test
    void aConnackWithoutPropertiesLeavesTheDefaultsAndTheClientsOwnValues() throws Exception {
        byte[] connack = new PropertyBytes().connack(false, 0);
        try (FakeBroker fake = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT ? connack : null);
             MqttClient client = MqttClient.newBuilder().host(fake.host()).port(fake.port()).reconnect(false)
                     .identifier("own-id").keepAlive(Duration.ofSeconds(45)).connect()) {
            ConnectResult result = client.connectResult();
            assertEquals("own-id", result.clientIdentifier());
            assertNull(result.assignedClientIdentifier(), "the client's own identifier");
            assertEquals(Duration.ofSeconds(45), result.keepAlive());
            assertNull(result.serverKeepAlive(), "the client's own keep alive");
            assertEquals(Duration.ZERO, result.sessionExpiry());
            assertEquals(65_535, result.receiveMaximum());
            assertEquals(Qos.EXACTLY_ONCE, result.maximumQos());
            assertTrue(result.retainAvailable());
            assertNull(result.reasonString());
            assertNull(result.responseInformation());
            assertNull(result.serverReference());
            assertEquals(List.of(), result.userProperties());
            assertTrue(result.propertiesSet().isEmpty(), "nothing sent: " + result.propertiesSet());
        }
    }

    @Test
    void hivemqAssignsAnIdentifierOnlyWhenTheClientHasNone() throws Exception {
        try (MqttClient assigned = MqttClient.newBuilder().host(broker.broker().host()).port(broker.broker().port())
                     .connect();
             MqttClient own = MqttClient.newBuilder().host(broker.broker().host()).port(broker.broker().port())
                     .identifier("tether-own-" + UUID.randomUUID()).connect()) {
            ConnectResult result = assigned.connectResult();
            assertNotNull(result.assignedClientIdentifier(), "the broker assigned one [MQTT-3.2.2-16]");
            assertEquals(result.clientIdentifier(), result.assignedClientIdentifier());
            assertTrue(result.isSet(ConnectResult.Property.ASSIGNED_CLIENT_IDENTIFIER));
            assertNull(own.connectResult().assignedClientIdentifier());
            assertFalse(own.connectResult().isSet(ConnectResult.Property.ASSIGNED_CLIENT_IDENTIFIER));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, UNSUPPORTED_PROTOCOL_VERSION", "4, BAD_USER_NAME_OR_PASSWORD", "5, NOT_AUTHORIZED"})
    void aRefusal311KeepsItsReturnCode(int returnCode, ReasonCode mapped) throws Exception {
        try (FakeBroker fake = FakeBroker.start(packet -> FakeBroker.connack(false, returnCode, null))) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> MqttClient.newBuilder()
                    .host(fake.host()).port(fake.port()).protocol(ProtocolVersion.V3_1_1).connect());
            assertEquals(returnCode, e.returnCode(), "the return code as it was on the wire");
            assertEquals(mapped, e.reasonCode());
        }
    }

    @Test
    void aRefusal5CarriesItsReasonStringAndUserProperties() throws Exception {
        byte[] connack = new PropertyBytes().string(0x1F, "quota used up").pair(0x26, "retry-after", "60")
                .connack(false, 0x97);
        try (FakeBroker fake = FakeBroker.start(packet -> connack)) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> MqttClient.newBuilder()
                    .host(fake.host()).port(fake.port()).connect());
            assertEquals(ReasonCode.QUOTA_EXCEEDED, e.reasonCode());
            assertEquals(0x97, e.returnCode());
            assertEquals("quota used up", e.reasonString());
            assertEquals(List.of(UserProperty.of("retry-after", "60")), e.userProperties());
            assertNull(e.serverReference());
        }
    }
}
