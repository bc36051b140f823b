package dev.tether.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A SUBSCRIBE with one or more topic filters, each with its maximum QoS and MQTT 5 options, and
 * the MQTT 5 subscription identifier and user properties of the packet.
 *
 * <pre>{@code
 * Subscription s = client.subscribe(SubscribeRequest.newBuilder()
 *         .filter("sensors/+/temperature", Qos.AT_LEAST_ONCE)
 *         .filter("alerts/#", Qos.EXACTLY_ONCE, true, false, SubscribeRequest.RETAIN_NEVER)
 *         .subscriptionIdentifier(7)
 *         .userProperty("tenant", "acme")
 *         .build());
 * }</pre>
 */
public final class SubscribeRequest {

    /** Retain handling 0: the broker sends retained messages at subscribe time. */
    public static final int RETAIN_ON_SUBSCRIBE = 0;
    /** Retain handling 1: retained messages only if the subscription did not exist yet. */
    public static final int RETAIN_ON_NEW_SUBSCRIPTION = 1;
    /** Retain handling 2: no retained messages at subscribe time. */
    public static final int RETAIN_NEVER = 2;

    /** The highest subscription identifier MQTT 5 allows: the largest Variable Byte Integer. */
    public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

    /**
     * One filter and its options.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS to receive messages with
     * @param noLocal MQTT 5: do not receive this client's own messages
     * @param retainAsPublished MQTT 5: keep the retain flag as the publisher set it
     * @param retainHandling MQTT 5: {@link #RETAIN_ON_SUBSCRIBE}, {@link #RETAIN_ON_NEW_SUBSCRIPTION} or {@link #RETAIN_NEVER}
     */
    public record Entry(TopicFilter filter, Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

        /**
         * Checks the entry.
         *
         * @throws IllegalArgumentException if retain handling is not 0, 1 or 2, or No Local is set
         *     on a shared subscription [MQTT-3.8.3-4]
         */
        public Entry {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(qos, "qos");
            if (retainHandling < 0 || retainHandling > 2) {
                throw new IllegalArgumentException("retain handling must be 0, 1 or 2, was " + retainHandling);
            }
            if (noLocal && filter.isShared()) {
                throw new IllegalArgumentException("No Local must not be set on a shared subscription (MQTT-3.8.3-4): " + filter);
            }
        }
    }

    private final List<Entry> entries;
    private final int subscriptionIdentifier;
    private final List<UserProperty> userProperties;

    private SubscribeRequest(List<Entry> entries, int subscriptionIdentifier, List<UserProperty> userProperties) {
        this.entries = List.copyOf(entries);
        this.subscriptionIdentifier = subscriptionIdentifier;
        this.userProperties = List.copyOf(userProperties);
    }

    /**
     * A request for one filter with default options.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS
     * @return the request
     * @throws IllegalArgumentException if the filter is invalid
     */
    public static SubscribeRequest of(String filter, Qos qos) {
        return newBuilder().filter(filter, qos).build();
    }

    /** {@return a builder for a request with several filters or options} */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** {@return the filters and their options, in order} */
    public List<Entry> entries() {
        return entries;
    }

    /** {@return the filters, in order} */
    public List<TopicFilter> filters() {
        return entries.stream().map(Entry::filter).toList();
    }

    /**
     * {@return the MQTT 5 subscription identifier the application chose, or 0 when it chose none
     * (the client then numbers the subscription itself, unless
     * {@link MqttClientBuilder#automaticSubscriptionIdentifiers(boolean)} is off)}
     */
    public int subscriptionIdentifier() {
        return subscriptionIdentifier;
    }

    /** {@return the MQTT 5 user properties of the SUBSCRIBE, in order; empty if none} */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /**
     * Builds a {@link SubscribeRequest}.
     *
     * <pre>{@code
     * SubscribeRequest r = SubscribeRequest.newBuilder().filter("a/#", Qos.AT_LEAST_ONCE).build();
     * }</pre>
     */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final List<UserProperty> userProperties = new ArrayList<>();
        private int subscriptionIdentifier;

        private Builder() {
        }

        /**
         * MQTT 5: the Subscription Identifier the broker puts on every message it sends because of
         * this subscription, read back with {@link MqttMessage#subscriptionIdentifiers()}. Several
         * subscriptions may share one identifier. Without one, the client numbers each subscription
         * itself (skipping the numbers open subscriptions use) to route messages to the right
         * {@link Subscription}; choose identifiers for every subscription, or turn the automatic
         * ones off with {@link MqttClientBuilder#automaticSubscriptionIdentifiers(boolean)}, when
         * an identifier must mean your subscription alone.
         *
         * <pre>{@code
         * Subscription s = client.subscribe(SubscribeRequest.newBuilder()
         *         .filter("sensors/#", Qos.AT_LEAST_ONCE).subscriptionIdentifier(42).build());
         * for (MqttMessage m : client.messages()) {
         *     if (m.subscriptionIdentifiers().contains(42)) { ... }
         * }
         * }</pre>
         *
         * @param identifier 1 to {@value SubscribeRequest#MAX_SUBSCRIPTION_IDENTIFIER}
         * @return this builder
         * @throws IllegalArgumentException if the identifier is out of range (MQTT 5, 3.8.2.1.2:
         *     0 is a protocol error)
         */
        public Builder subscriptionIdentifier(int identifier) {
            if (identifier < 1 || identifier > MAX_SUBSCRIPTION_IDENTIFIER) {
                throw new IllegalArgumentException("a subscription identifier must be 1 to " + MAX_SUBSCRIPTION_IDENTIFIER
                        + " (MQTT 5, 3.8.2.1.2: 0 is a protocol error), was " + identifier);
            }
            this.subscriptionIdentifier = identifier;
            return this;
        }

        /**
         * Adds an MQTT 5 user property to the SUBSCRIBE; it goes out again whenever the client
         * subscribes again after the broker lost the session.
         *
         * <pre>{@code
         * SubscribeRequest.newBuilder().filter("a/#", Qos.AT_LEAST_ONCE).userProperty("tenant", "acme").build();
         * }</pre>
         *
         * @param name the property name
         * @param value the property value
         * @return this builder
         */
        public Builder userProperty(String name, String value) {
            userProperties.add(UserProperty.of(name, value));
            return this;
        }

        /**
         * Adds a filter with default options.
         *
         * @param filter the topic filter
         * @param qos the maximum QoS
         * @return this builder
         * @throws IllegalArgumentException if the filter is invalid
         */
        public Builder filter(String filter, Qos qos) {
            return filter(filter, qos, false, false, RETAIN_ON_SUBSCRIBE);
        }

        /**
         * Adds a filter with MQTT 5 options.
         *
         * @param filter the topic filter
         * @param qos the maximum QoS
         * @param noLocal do not receive this client's own messages
         * @param retainAsPublished keep the retain flag as published
         * @param retainHandling 0, 1 or 2; see the constants
         * @return this builder
         * @throws IllegalArgumentException if the filter or an option is invalid
         */
        public Builder filter(String filter, Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
            entries.add(new Entry(TopicFilter.of(filter), qos, noLocal, retainAsPublished, retainHandling));
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalArgumentException if no filter was added [MQTT-3.8.3-2]
         */
        public SubscribeRequest build() {
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("a SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-2)");
            }
            return new SubscribeRequest(entries, subscriptionIdentifier, userProperties);
        }
    }
}
