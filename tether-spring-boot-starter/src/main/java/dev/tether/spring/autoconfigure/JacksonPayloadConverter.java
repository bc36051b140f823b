package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttMessage;
import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** {@link PlainPayloadConverter} with JSON (Jackson 3) for every other type. */
final class JacksonPayloadConverter extends PlainPayloadConverter {

    private final JsonMapper mapper;

    JacksonPayloadConverter(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    byte[] objectToPayload(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    Object payloadToObject(MqttMessage message, Type type) {
        try {
            return mapper.readValue(message.payload(), mapper.constructType(type));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the payload of " + message.topic() + " is not JSON for "
                    + type.getTypeName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    boolean canDecode(Type type) {
        return true;
    }
}
