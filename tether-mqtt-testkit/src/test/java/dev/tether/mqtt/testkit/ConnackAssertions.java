package dev.tether.mqtt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;

/** The raw CONNECT → CONNACK exchange both broker smoke tests make. */
final class ConnackAssertions {

    private ConnackAssertions() {
    }

    /** Connects with the given protocol level and checks the CONNACK says "accepted". */
    static void assertConnectAccepted(MqttBroker broker, int protocolLevel) throws IOException {
        byte[] connack = RawMqttConnect.exchange(broker.host(), broker.port(), protocolLevel,
                "smoke-" + protocolLevel, Duration.ofSeconds(10));
        String shown = RawMqttConnect.hex(connack);
        assertEquals(0x20, connack[0] & 0xFF, "packet type CONNACK, got " + shown);
        if (protocolLevel == 4) {
            // 3.1.1: exactly 2 bytes, session present 0 (clean session), return code 0.
            assertEquals("20 02 00 00", shown);
        } else {
            assertTrue(connack.length >= 5, "an MQTT 5 CONNACK has a property length, got " + shown);
            assertEquals(0, connack[2] & 0xFF, "session present flag, got " + shown);
            assertEquals(0, connack[3] & 0xFF, "reason code Success, got " + shown);
            assertEquals(connack.length - 5, connack[4] & 0xFF, "property length covers the rest, got " + shown);
        }
    }
}
