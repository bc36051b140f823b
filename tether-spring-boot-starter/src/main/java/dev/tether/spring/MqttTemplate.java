package dev.tether.spring;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes objects through the shared client, encoded by the {@link MqttPayloadConverter}: JSON
 * for records and other objects when Jackson is on the class path; {@code String},
 * {@code byte[]} and numbers as {@link MqttClient} itself sends them. For everything else — the
 * MQTT 5 properties, subscriptions, requests — use the {@code MqttClient} bean directly; this is
 * only the object-to-payload step on top of it.
 *
 * <pre>{@code
 * @RestController
 * class Readings {
 *     private final MqttTemplate mqtt;
 *     Readings(MqttTemplate mqtt) { this.mqtt = mqtt; }
 *
 *     @PostMapping("/readings")
 *     void add(@RequestBody Reading reading) throws MqttException {
 *         mqtt.publish("readings/" + reading.sensor(), reading, Qos.AT_LEAST_ONCE);   // {"sensor":...}
 *     }
 * }
 * }</pre>
 */
public final class MqttTemplate {

    private final MqttClient client;
    private final MqttPayloadConverter converter;

    /**
     * Creates a template; the starter declares one bean of it.
     *
     * @param client the client to publish with
     * @param converter how objects become payloads
     */
    public MqttTemplate(MqttClient client, MqttPayloadConverter converter) {
        this.client = Objects.requireNonNull(client, "client");
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    /** {@return the client this template publishes with} */
    public MqttClient client() {
        return client;
    }

    /**
     * Publishes a value with QoS 0.
     *
     * @param topic the topic
     * @param value the value, encoded by the converter
     * @return the result
     * @throws MqttException if the message could not be sent
     */
    public PublishResult publish(String topic, Object value) throws MqttException {
        return publish(topic, value, Qos.AT_MOST_ONCE, false);
    }

    /**
     * Publishes a value, waiting for the broker's acknowledgement for QoS 1 and 2.
     *
     * @param topic the topic
     * @param value the value, encoded by the converter
     * @param qos the quality of service
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, Object value, Qos qos) throws MqttException {
        return publish(topic, value, qos, false);
    }

    /**
     * Publishes a value, waiting for the broker's acknowledgement for QoS 1 and 2.
     *
     * @param topic the topic
     * @param value the value, encoded by the converter
     * @param qos the quality of service
     * @param retain whether the broker keeps it for future subscribers
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, Object value, Qos qos, boolean retain) throws MqttException {
        return client.publish(message(topic, value, qos, retain));
    }

    /**
     * Publishes a value without waiting.
     *
     * @param topic the topic
     * @param value the value, encoded by the converter
     * @param qos the quality of service
     * @return the future result
     */
    public CompletableFuture<PublishResult> publishAsync(String topic, Object value, Qos qos) {
        return client.publishAsync(message(topic, value, qos, false));
    }

    private MqttMessage message(String topic, Object value, Qos qos, boolean retain) {
        Objects.requireNonNull(value, "value");
        return MqttMessage.newBuilder(topic).payload(converter.toPayload(value)).qos(qos).retain(retain).build();
    }
}
