package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttMessage;
import dev.tether.spring.MqttPayloadConverter;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Strings, bytes, numbers and booleans, as {@link dev.tether.mqtt.MqttClient} sends them; any
 * other type goes to {@code objects}, which is JSON when Jackson is on the class path.
 */
class PlainPayloadConverter implements MqttPayloadConverter {

    @Override
    public byte[] toPayload(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        }
        return objectToPayload(value);
    }

    @Override
    public Object fromPayload(MqttMessage message, Type type) {
        if (type == String.class) {
            return message.payloadAsString();
        }
        if (type == byte[].class) {
            return message.payload();
        }
        String text = message.payloadAsString().trim();
        try {
            if (type == Double.class || type == double.class) {
                return Double.valueOf(text);
            }
            if (type == Float.class || type == float.class) {
                return Float.valueOf(text);
            }
            if (type == Long.class || type == long.class) {
                return Long.valueOf(text);
            }
            if (type == Integer.class || type == int.class) {
                return Integer.valueOf(text);
            }
            if (type == Short.class || type == short.class) {
                return Short.valueOf(text);
            }
            if (type == BigDecimal.class || type == Number.class) {
                return new BigDecimal(text);
            }
            if (type == BigInteger.class) {
                return new BigInteger(text);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the payload of " + message.topic() + " is not a number: " + e.getMessage(), e);
        }
        if (type == Boolean.class || type == boolean.class) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text);
            }
            throw new IllegalArgumentException("the payload of " + message.topic() + " is not true or false");
        }
        return payloadToObject(message, type);
    }

    /**
     * Encodes what is neither text, bytes, number nor boolean.
     *
     * @param value the value
     * @return the payload
     */
    byte[] objectToPayload(Object value) {
        throw new IllegalArgumentException("cannot send a " + value.getClass().getName()
                + " as a payload without Jackson on the class path: pass a String, byte[] or number,"
                + " or add tools.jackson.core:jackson-databind");
    }

    /**
     * Decodes into what is neither text, bytes, number nor boolean.
     *
     * @param message the message
     * @param type the type
     * @return the value
     */
    Object payloadToObject(MqttMessage message, Type type) {
        throw new IllegalArgumentException("cannot convert a payload to " + type.getTypeName()
                + " without Jackson on the class path: take a String, byte[], number or MqttMessage,"
                + " or add tools.jackson.core:jackson-databind");
    }

    /**
     * {@return whether {@code type} can be decoded at all}
     *
     * @param type the type
     */
    boolean canDecode(Type type) {
        return type == String.class || type == byte[].class || type instanceof Class<?> c
                && (c.isPrimitive() && c != void.class && c != char.class || Number.class.isAssignableFrom(c) || c == Boolean.class);
    }
}
