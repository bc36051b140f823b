package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.Qos;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH. {@code packetId} is 0 for QoS 0, 1 to 65535 otherwise. The topic may be empty when
 * the properties carry a topic alias. The payload array is shared, not copied: whoever makes the
 * record hands it over.
 */
public record Publish(String topic, byte[] payload, Qos qos, boolean retain, boolean dup, int packetId,
                      Properties properties) implements Packet {

    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        if (qos == Qos.AT_MOST_ONCE ? packetId != 0 : packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet identifier must be 0 for QoS 0 and 1 to 65535 otherwise, was "
                    + packetId + " with QoS " + qos.code());
        }
        if (dup && qos == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("DUP must be 0 for QoS 0 messages [MQTT-3.3.1-2]");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Publish that && topic.equals(that.topic) && Arrays.equals(payload, that.payload)
                && qos == that.qos && retain == that.retain && dup == that.dup && packetId == that.packetId
                && properties.equals(that.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup, packetId, properties);
    }

    @Override
    public String toString() {
        return "Publish[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos.code()
                + ", retain=" + retain + ", dup=" + dup + ", packetId=" + packetId + ", properties=" + properties + "]";
    }
}
