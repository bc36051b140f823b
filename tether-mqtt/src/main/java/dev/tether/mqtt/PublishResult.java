package dev.tether.mqtt;

import java.util.List;

/**
 * The outcome of a completed publish: for QoS 0 the message was written, for QoS 1 the broker's
 * PUBACK came, for QoS 2 its PUBCOMP. An error reason code is thrown as an {@link MqttException}
 * instead, so a result always reports success ({@code SUCCESS} or {@code NO_MATCHING_SUBSCRIBERS}).
 *
 * <pre>{@code
 * PublishResult result = client.publish("a/b", "x", Qos.AT_LEAST_ONCE);
 * boolean anyoneListening = result.reasonCode() != ReasonCode.NO_MATCHING_SUBSCRIBERS;
 * }</pre>
 *
 * @param reasonCode the MQTT 5 reason code of the acknowledgement; SUCCESS for QoS 0 and MQTT 3.1.1
 * @param reasonString the broker's reason string, or null
 * @param userProperties the acknowledgement's user properties
 */
public record PublishResult(ReasonCode reasonCode, String reasonString, List<UserProperty> userProperties) {

    /**
     * Keeps the user properties unmodifiable.
     *
     * @throws NullPointerException if the reason code or user properties are null
     */
    public PublishResult {
        java.util.Objects.requireNonNull(reasonCode, "reason code");
        userProperties = List.copyOf(userProperties);
    }
}
