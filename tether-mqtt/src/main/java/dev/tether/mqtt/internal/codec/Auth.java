package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.Objects;

/** AUTH, MQTT 5 only: a step of enhanced authentication. */
public record Auth(ReasonCode reasonCode, Properties properties) implements Packet {

    public Auth {
        Objects.requireNonNull(reasonCode, "reason code");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
