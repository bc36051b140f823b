package dev.tether.examples;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.testkit.RawMqttConnect;
import java.time.Duration;

/**
 * The seed's "sharing the connection" example. Until the client lands it proves the set-up end to
 * end: it starts a broker (or takes {@code --host}) and makes the raw CONNECT → CONNACK exchange
 * for both protocol versions, printing what came back.
 */
public final class SharingTheConnection {

    private SharingTheConnection() {
    }

    /**
     * Runs the example.
     *
     * @param args optionally {@code --host host[:port]}; without it a broker is embedded
     */
    public static void main(String[] args) throws Exception {
        try (BrokerArgument broker = BrokerArgument.from(args)) {
            System.out.println("Connecting to " + broker.description());
            for (ProtocolVersion version : ProtocolVersion.values()) {
                byte[] connack = RawMqttConnect.exchange(broker.host(), broker.port(), version.level(),
                        "tether-example", Duration.ofSeconds(10));
                System.out.printf("MQTT %s CONNECT -> CONNACK %s%n", version, RawMqttConnect.hex(connack));
            }
        }
    }
}
