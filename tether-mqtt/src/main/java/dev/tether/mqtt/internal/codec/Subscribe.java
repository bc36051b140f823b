package dev.tether.mqtt.internal.codec;

import java.util.List;
import java.util.Objects;

/** SUBSCRIBE: at least one topic filter [MQTT-3.8.3-2]. */
public record Subscribe(int packetId, List<TopicSubscription> subscriptions, Properties properties) implements Packet {

    public Subscribe {
        PacketIds.check(packetId);
        subscriptions = List.copyOf(subscriptions);
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-2]");
        }
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
