package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.Objects;

/** PUBCOMP. In MQTT 3.1.1 the reason code is always SUCCESS and there are no properties. */
public record Pubcomp(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public Pubcomp {
        PacketIds.check(packetId);
        Objects.requireNonNull(reasonCode, "reason code");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBCOMP without properties. */
    public Pubcomp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
