package dev.tether.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives the messages of one or more topic filters through the shared
 * client.
 *
 * <pre>{@code
 * @Component
 * class Thermometer {
 *     @MqttListener(topics = "sensors/+/temperature", qos = 1)
 *     void onReading(Reading reading, Topic topic) {   // Reading converted from JSON
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters, in any order: {@link dev.tether.mqtt.MqttMessage} (the whole message),
 * {@link dev.tether.mqtt.Topic} (its topic), and at most one payload parameter: {@code String}
 * (UTF-8), {@code byte[]}, or any other type, converted by the {@link MqttPayloadConverter} (JSON
 * with Jackson when it is on the class path; numbers and booleans from their text).
 *
 * <p>Each listener subscribes once the application has started (after the web server) and runs
 * on virtual threads of its own, {@link #concurrency()} of them, one message at a time each: with
 * the default of one, messages are handled in the order they arrived. A QoS 1/2 message is
 * acknowledged to the broker after the method returned (see
 * {@code tether.mqtt.listener.ack-mode}). An exception goes to the
 * {@link MqttListenerErrorHandler} bean and never ends the listener or the connection; the message
 * is acknowledged all the same, since the broker would not send it again on this connection
 * anyway. At shutdown listeners stop first: each finishes the messages it has buffered,
 * then unsubscribes.
 *
 * <p>Topics and group may be property placeholders: {@code topics = "${app.topic}"}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MqttListener {

    /**
     * The topic filters, with wildcards {@code +} and {@code #}.
     *
     * @return the filters, at least one
     */
    String[] topics();

    /**
     * The maximum QoS to receive with: 0, 1 or 2.
     *
     * @return the QoS; 1 by default
     */
    int qos() default 1;

    /**
     * A shared subscription group: when set, the filters are subscribed as
     * {@code $share/<group>/<filter>}, so the broker gives each message to one member of the group,
     * for example one instance of a service that runs several times.
     *
     * @return the share name, empty for an ordinary subscription
     */
    String group() default "";

    /**
     * How many virtual threads take this listener's messages. Above one, messages are handled in
     * parallel and their order is no longer kept.
     *
     * @return at least 1; 1 by default
     */
    int concurrency() default 1;

    /**
     * The listener's name in logs, metrics ({@code listener} tag) and errors.
     *
     * @return the id; empty for {@code beanName.methodName}
     */
    String id() default "";
}
