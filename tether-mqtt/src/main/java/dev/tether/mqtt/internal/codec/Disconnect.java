package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ReasonCode;
import java.util.Objects;

/** DISCONNECT. In MQTT 3.1.1 it has no body: the reason code is NORMAL_DISCONNECTION. */
public record Disconnect(ReasonCode reasonCode, Properties properties) implements Packet {

    public static final Disconnect NORMAL = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reason code");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
