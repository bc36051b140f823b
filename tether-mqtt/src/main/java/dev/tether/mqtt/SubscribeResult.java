package dev.tether.mqtt;

import java.util.List;

/**
 * What the broker's SUBACK said: the reason code for each filter of a SUBSCRIBE, in the order
 * they were asked for, and its MQTT 5 reason string and user properties.
 *
 * <pre>{@code
 * Subscription s = client.subscribe("a/#", Qos.EXACTLY_ONCE);
 * Qos granted = s.result().grantedQos().get(0);   // may be lower than asked
 * }</pre>
 *
 * @param reasonCodes one per filter: GRANTED_QOS_0, GRANTED_QOS_1 or GRANTED_QOS_2, or, in a
 *     refusal ({@link MqttSubscribeException#result()}), the error for the filters refused
 * @param reasonString the broker's reason string, or null
 * @param userProperties the SUBACK's MQTT 5 user properties, in order; empty if none
 */
public record SubscribeResult(List<ReasonCode> reasonCodes, String reasonString, List<UserProperty> userProperties) {

    /**
     * Keeps the lists unmodifiable.
     *
     * @throws NullPointerException if a list is null
     */
    public SubscribeResult {
        reasonCodes = List.copyOf(reasonCodes);
        userProperties = List.copyOf(userProperties);
    }

    /**
     * A result without user properties.
     *
     * @param reasonCodes one per filter
     * @param reasonString the broker's reason string, or null
     */
    public SubscribeResult(List<ReasonCode> reasonCodes, String reasonString) {
        this(reasonCodes, reasonString, List.of());
    }

    /**
     * {@return the maximum QoS granted for each filter}
     *
     * @throws IllegalArgumentException if a filter was refused (its reason code is not a QoS);
     *     see {@link MqttSubscribeException#refusedFilters()}
     */
    public List<Qos> grantedQos() {
        return reasonCodes.stream().map(code -> Qos.of(code.code())).toList();
    }
}
