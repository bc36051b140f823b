package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.Objects;

/** PUBREC. In MQTT 3.1.1 the reason code is always SUCCESS and there are no properties. */
public record Pubrec(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public Pubrec {
        PacketIds.check(packetId);
        Objects.requireNonNull(reasonCode, "reason code");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREC without properties. */
    public Pubrec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
