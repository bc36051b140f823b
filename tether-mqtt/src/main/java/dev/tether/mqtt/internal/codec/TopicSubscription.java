package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.Qos;
import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with its subscription options. In MQTT 3.1.1 only the filter
 * and QoS exist; the other options must be false and 0.
 *
 * @param retainHandling 0: send retained messages on subscribe; 1: only if the subscription is
 *     new; 2: never
 */
public record TopicSubscription(String filter, Qos qos, boolean noLocal, boolean retainAsPublished,
                                int retainHandling) {

    public TopicSubscription {
        Objects.requireNonNull(filter, "topic filter");
        Objects.requireNonNull(qos, "qos");
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retain handling must be 0, 1 or 2, was " + retainHandling);
        }
    }

    /** A subscription with the default options. */
    public TopicSubscription(String filter, Qos qos) {
        this(filter, qos, false, false, 0);
    }
}
