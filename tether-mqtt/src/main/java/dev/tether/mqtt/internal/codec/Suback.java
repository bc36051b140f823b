package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.List;
import java.util.Objects;

/** SUBACK: one reason code per filter of the SUBSCRIBE, in order. */
public record Suback(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements Packet {

    public Suback {
        PacketIds.check(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
