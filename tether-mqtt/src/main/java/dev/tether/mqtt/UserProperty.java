package dev.tether.mqtt;

import java.util.Objects;

/**
 * An MQTT 5 user property: a name and a value, both UTF-8 strings, that any packet may carry.
 * A packet keeps its user properties in order, and a name may repeat.
 *
 * <pre>{@code
 * MqttMessage message = MqttMessage.newBuilder("sensors/1")
 *         .userProperty("unit", "celsius")
 *         .build();
 * }</pre>
 *
 * @param name the property name
 * @param value the property value
 */
public record UserProperty(String name, String value) {

    /**
     * Checks both parts are present.
     *
     * @throws NullPointerException if the name or value is null
     */
    public UserProperty {
        Objects.requireNonNull(name, "user property name");
        Objects.requireNonNull(value, "user property value");
    }

    /**
     * Creates a user property.
     *
     * @param name the property name
     * @param value the property value
     * @return the property
     */
    public static UserProperty of(String name, String value) {
        return new UserProperty(name, value);
    }
}
