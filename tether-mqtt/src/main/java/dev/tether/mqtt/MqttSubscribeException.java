package dev.tether.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker refused a SUBSCRIBE, for one of its filters or all: {@link #result()} has the reason
 * code of every filter, as the SUBACK sent them, and {@link #refusedFilters()} names the ones
 * refused. A subscription is all or nothing: the filters the broker granted were unsubscribed
 * again, so nothing arrives for any of them; subscribe to them on their own to keep them.
 * {@link #reasonCode()} is the first refusal's.
 *
 * <pre>{@code
 * try {
 *     client.subscribe(SubscribeRequest.newBuilder()
 *             .filter("sensors/#", Qos.AT_LEAST_ONCE).filter("admin/#", Qos.AT_LEAST_ONCE).build());
 * } catch (MqttSubscribeException e) {
 *     log.warn("refused: {} ({})", e.refusedFilters(), e.result().reasonCodes());
 * }
 * }</pre>
 */
public final class MqttSubscribeException extends MqttException {

    private static final long serialVersionUID = 1L;

    /** Not serialized (filters and results are not serializable): empty after deserialization. */
    private final transient List<TopicFilter> filters;
    private final transient SubscribeResult result;

    /**
     * Creates the exception for a SUBACK that refused at least one filter.
     *
     * @param filters the filters of the SUBSCRIBE, in order
     * @param result what the SUBACK said, one reason code per filter
     * @throws IllegalArgumentException if the SUBACK refused nothing, or the counts differ
     */
    public MqttSubscribeException(List<TopicFilter> filters, SubscribeResult result) {
        super(firstRefusal(filters, result), describe(filters, result));
        this.filters = List.copyOf(filters);
        this.result = result;
    }

    private static ReasonCode firstRefusal(List<TopicFilter> filters, SubscribeResult result) {
        if (filters.size() != result.reasonCodes().size()) {
            throw new IllegalArgumentException("one reason code per filter: " + filters + " and " + result.reasonCodes());
        }
        return result.reasonCodes().stream().filter(ReasonCode::isError).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the SUBACK refused nothing: " + result.reasonCodes()));
    }

    private static String describe(List<TopicFilter> filters, SubscribeResult result) {
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            ReasonCode code = result.reasonCodes().get(i);
            if (code.isError()) {
                refusals.add("'" + filters.get(i) + "': " + code.describe());
            }
        }
        return "the broker refused the subscription to " + String.join(", ", refusals)
                + (result.reasonString() == null ? "" : " (" + result.reasonString() + ")")
                + (refusals.size() < filters.size() ? "; the filters it granted were unsubscribed again" : "");
    }

    /** {@return the filters of the refused SUBSCRIBE, in order; empty after deserialization} */
    public List<TopicFilter> filters() {
        return filters == null ? List.of() : filters;
    }

    /** {@return what the SUBACK said for each filter, with its reason string and user properties; null after deserialization} */
    public SubscribeResult result() {
        return result;
    }

    /** {@return the filters the broker refused, in order; empty after deserialization} */
    public List<TopicFilter> refusedFilters() {
        if (filters == null) {
            return List.of();
        }
        List<TopicFilter> refused = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            if (result.reasonCodes().get(i).isError()) {
                refused.add(filters.get(i));
            }
        }
        return List.copyOf(refused);
    }
}
