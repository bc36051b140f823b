package dev.tether.mqtt.internal.codec;

import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE: at least one topic filter [MQTT-3.10.3-2]. */
public record Unsubscribe(int packetId, List<String> filters, Properties properties) implements Packet {

    public Unsubscribe {
        PacketIds.check(packetId);
        filters = List.copyOf(filters);
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2]");
        }
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
