package dev.tether.mqtt;

import java.util.List;

/**
 * What the broker's UNSUBACK said: for each filter of an UNSUBSCRIBE, in order, whether a
 * subscription was removed, and its MQTT 5 reason string and user properties.
 *
 * <pre>{@code
 * UnsubscribeResult result = client.unsubscribe("sensors/#");
 * if (result.reasonCodes().get(0) == ReasonCode.NO_SUBSCRIPTION_EXISTED) { ... }
 * }</pre>
 *
 * @param reasonCodes one per filter: SUCCESS, or NO_SUBSCRIPTION_EXISTED when the broker had no
 *     such subscription; MQTT 3.1.1 has no reason codes, so there every one is SUCCESS
 * @param reasonString the broker's reason string, or null
 * @param userProperties the UNSUBACK's MQTT 5 user properties, in order; empty if none
 */
public record UnsubscribeResult(List<ReasonCode> reasonCodes, String reasonString, List<UserProperty> userProperties) {

    /**
     * Keeps the lists unmodifiable.
     *
     * @throws NullPointerException if a list is null
     */
    public UnsubscribeResult {
        reasonCodes = List.copyOf(reasonCodes);
        userProperties = List.copyOf(userProperties);
    }
}
