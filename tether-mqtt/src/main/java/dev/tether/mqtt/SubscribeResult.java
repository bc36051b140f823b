package dev.tether.mqtt;

import java.util.List;

/**
 * What the broker granted for each filter of a SUBSCRIBE, in the order they were asked for.
 *
 * <pre>{@code
 * Subscription s = client.subscribe("a/#", Qos.EXACTLY_ONCE);
 * Qos granted = s.result().grantedQos().get(0);   // may be lower than asked
 * }</pre>
 *
 * @param reasonCodes one per filter: GRANTED_QOS_0, GRANTED_QOS_1 or GRANTED_QOS_2
 * @param reasonString the broker's reason string, or null
 */
public record SubscribeResult(List<ReasonCode> reasonCodes, String reasonString) {

    /**
     * Keeps the reason codes unmodifiable.
     *
     * @throws NullPointerException if the list is null
     */
    public SubscribeResult {
        reasonCodes = List.copyOf(reasonCodes);
    }

    /** {@return the maximum QoS granted for each filter} */
    public List<Qos> grantedQos() {
        return reasonCodes.stream().map(code -> Qos.of(code.code())).toList();
    }
}
