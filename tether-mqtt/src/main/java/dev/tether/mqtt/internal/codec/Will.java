package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.Qos;
import java.util.Arrays;
import java.util.Objects;

/** The will message of a CONNECT, with its MQTT 5 will properties. */
public record Will(String topic, byte[] payload, Qos qos, boolean retain, Properties properties) {

    public Will {
        Objects.requireNonNull(topic, "will topic");
        Objects.requireNonNull(payload, "will payload");
        Objects.requireNonNull(qos, "will qos");
        Objects.requireNonNull(properties, "will properties");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Will that && topic.equals(that.topic) && Arrays.equals(payload, that.payload)
                && qos == that.qos && retain == that.retain && properties.equals(that.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos.code()
                + ", retain=" + retain + ", properties=" + properties + "]";
    }
}
