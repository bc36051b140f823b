package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.Objects;

/** PUBACK. In MQTT 3.1.1 the reason code is always SUCCESS and there are no properties. */
public record Puback(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public Puback {
        PacketIds.check(packetId);
        Objects.requireNonNull(reasonCode, "reason code");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBACK without properties. */
    public Puback(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
