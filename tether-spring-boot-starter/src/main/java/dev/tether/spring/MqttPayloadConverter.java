package dev.tether.spring;

import dev.tether.mqtt.MqttMessage;
import java.lang.reflect.Type;

/**
 * Turns objects into payloads and payloads into objects, for {@link MqttTemplate} and
 * {@link MqttListener} parameters. The starter's own converter sends {@code String} as UTF-8,
 * {@code byte[]} as is, numbers and booleans as their text, and everything else as JSON with the
 * application's Jackson {@code JsonMapper} when Jackson 3 is on the class path. Declare a bean of
 * this type to replace it.
 *
 * <pre>{@code
 * @Bean
 * MqttPayloadConverter protobuf() {
 *     return new MqttPayloadConverter() {
 *         public byte[] toPayload(Object value) { return ((Message) value).toByteArray(); }
 *         public Object fromPayload(MqttMessage message, Type type) { ... }
 *     };
 * }
 * }</pre>
 */
public interface MqttPayloadConverter {

    /**
     * Encodes a value as a payload.
     *
     * @param value the value, not null
     * @return the payload
     * @throws IllegalArgumentException if the value cannot be encoded
     */
    byte[] toPayload(Object value);

    /**
     * Decodes a message's payload.
     *
     * @param message the message
     * @param type the type wanted, such as a listener parameter's generic type
     * @return the value
     * @throws IllegalArgumentException if the payload cannot be decoded to {@code type}
     */
    Object fromPayload(MqttMessage message, Type type);
}
