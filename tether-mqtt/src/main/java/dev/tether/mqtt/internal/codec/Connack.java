package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.util.Objects;

/** CONNACK. In MQTT 3.1.1 the return codes 0 to 5 map to the MQTT 5 reason codes of the same meaning. */
public record Connack(boolean sessionPresent, ReasonCode reasonCode, Properties properties) implements Packet {

    public Connack {
        Objects.requireNonNull(reasonCode, "reason code");
        Objects.requireNonNull(properties, "properties");
    }

    /** {@return the reason code's byte on the wire in {@code version}: MQTT 3.1.1's return codes number their own way} */
    public int wireValue(ProtocolVersion version) {
        return ReasonCodes.wireValue(version, PacketType.CONNACK, reasonCode);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
