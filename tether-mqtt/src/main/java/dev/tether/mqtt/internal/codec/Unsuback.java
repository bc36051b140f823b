package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.List;
import java.util.Objects;

/** UNSUBACK: in MQTT 5 one reason code per filter; in MQTT 3.1.1 none at all. */
public record Unsuback(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements Packet {

    public Unsuback {
        PacketIds.check(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
