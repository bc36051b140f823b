package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client does when the broker breaks the protocol or refuses it: clear errors, nothing hangs. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProtocolViolationTest {

    private static final String CONNACK_V5_ACCEPTED = "20 03 00 00 00";

    @Test
    @Statement(v5 = "MQTT-3.3.1-4")
    void malformedPacketClosesTheConnectionWithReasonCode0x81() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(CONNACK_V5_ACCEPTED);
             MqttClient client = connect(broker, ProtocolVersion.V5)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send("36 05 00 01 61 00 01"); // PUBLISH with QoS 3 [MQTT-3.3.1-4]

            UncheckedIOException e = assertThrows(UncheckedIOException.class, messages::hasNext);
            MqttException cause = (MqttException) e.getCause();
            assertEquals(ReasonCode.MALFORMED_PACKET, cause.reasonCode());
            assertTrue(cause.getMessage().contains("QoS 3"), cause.getMessage());
            // The client told the broker why before closing: DISCONNECT with reason 0x81.
            assertEquals("e0 01 81", broker.receivedAfterConnect()); // no properties: the length may be left out
        }
    }

    @Test
    @Statement(v311 = "MQTT-4.8.0-1")
    void mqtt311ClosesWithoutAReasonCode() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker("20 02 00 00");
             MqttClient client = connect(broker, ProtocolVersion.V3_1_1)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send("d0 01 00"); // PINGRESP with a body

            UncheckedIOException e = assertThrows(UncheckedIOException.class, messages::hasNext);
            assertEquals(ReasonCode.MALFORMED_PACKET, ((MqttException) e.getCause()).reasonCode());
            assertEquals("", broker.receivedAfterConnect(), "3.1.1 just closes the connection [MQTT-4.8.0-1]");
        }
    }

    @Test
    void serverDisconnectReachesWaitingConsumersWithItsReason() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(CONNACK_V5_ACCEPTED);
             MqttClient client = connect(broker, ProtocolVersion.V5)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            // DISCONNECT 0x8B "server shutting down" with reason string "bye".
            broker.send("e0 07 8b 05 1f 00 02 62 79");

            UncheckedIOException e = assertThrows(UncheckedIOException.class, messages::hasNext);
            MqttException cause = (MqttException) e.getCause();
            assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, cause.reasonCode());
            assertTrue(cause.getMessage().contains("by"), cause.getMessage());
            MqttException later = assertThrows(MqttException.class, () -> client.publish("a/b", "x"));
            assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, later.reasonCode());
        }
    }

    @Test
    void refusedConnectionThrowsTheReasonCodeAndReasonString() throws Exception {
        // CONNACK 0x86 "bad user name or password" with reason string "no".
        try (ScriptedBroker broker = new ScriptedBroker("20 08 00 86 05 1f 00 02 6e 6f")) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> connect(broker, ProtocolVersion.V5));
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, e.reasonCode());
            assertTrue(e.getMessage().endsWith(": no"), e.getMessage());
        }
    }

    @Test
    void mqtt311ReturnCodeRefusalIsAConnectException() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker("20 02 00 05")) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> connect(broker, ProtocolVersion.V3_1_1));
            assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode());
        }
    }

    @Test
    void packetForAnUnknownPacketIdentifierIsAProtocolError() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(CONNACK_V5_ACCEPTED);
             MqttClient client = connect(broker, ProtocolVersion.V5)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send("40 02 00 2a"); // PUBACK for packet 42, which was never sent

            UncheckedIOException e = assertThrows(UncheckedIOException.class, messages::hasNext);
            assertEquals(ReasonCode.PROTOCOL_ERROR, ((MqttException) e.getCause()).reasonCode());
            assertEquals("e0 01 82", broker.receivedAfterConnect());
        }
    }

    private static MqttClient connect(ScriptedBroker broker, ProtocolVersion version) throws MqttException {
        return MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).protocol(version)
                .keepAlive(Duration.ZERO).connectTimeout(Duration.ofSeconds(5)).connect();
    }
}
