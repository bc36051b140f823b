package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;
import java.time.Duration;

/** Converts between what users see ({@link MqttMessage}) and what goes on the wire ({@link Publish}). */
final class Messages {

    private Messages() {
    }

    static Publish toPublish(MqttMessage message, int packetId, boolean v5) {
        return new Publish(message.topic().name(), ApiAccess.api().payloadWithoutCopy(message), message.qos(), message.isRetain(),
                false, packetId, v5 ? properties(message) : Properties.EMPTY);
    }

    private static Properties properties(MqttMessage message) {
        byte[] correlationData = ApiAccess.api().correlationDataWithoutCopy(message);
        if (message.payloadIsUtf8() == null && message.messageExpiry() == null && message.contentType() == null
                && message.responseTopic() == null && correlationData == null
                && message.userProperties().isEmpty()) {
            return Properties.EMPTY;
        }
        Properties.Builder properties = Properties.builder();
        if (message.payloadIsUtf8() != null) {
            properties.integer(Property.PAYLOAD_FORMAT_INDICATOR, message.payloadIsUtf8() ? 1 : 0);
        }
        if (message.messageExpiry() != null) {
            properties.integer(Property.MESSAGE_EXPIRY_INTERVAL, message.messageExpiry().toSeconds());
        }
        if (message.contentType() != null) {
            properties.string(Property.CONTENT_TYPE, message.contentType());
        }
        if (message.responseTopic() != null) {
            properties.string(Property.RESPONSE_TOPIC, message.responseTopic().name());
        }
        if (correlationData != null) {
            properties.binary(Property.CORRELATION_DATA, correlationData);
        }
        message.userProperties().forEach(properties::userProperty);
        return properties.build();
    }

    /** The message of an incoming PUBLISH whose topic alias, if any, is already resolved to {@code topic}. */
    static MqttMessage toMessage(Publish publish, String topic) {
        ApiAccess api = ApiAccess.api();
        MqttMessage.Builder message = api.messageBuilder(api.decodedTopic(topic))
                .payloadWithoutCopy(publish.payload())
                .qos(publish.qos())
                .retain(publish.retain());
        Properties properties = publish.properties();
        if (properties.isEmpty()) {
            return message.build();
        }
        for (int i = 0; i < properties.size(); i++) {
            Properties.Entry entry = properties.get(i);
            Object value = entry.value();
            switch (entry.property()) {
                case PAYLOAD_FORMAT_INDICATOR -> message.payloadIsUtf8((Long) value == 1);
                case MESSAGE_EXPIRY_INTERVAL -> {
                    if ((Long) value > 0) {
                        message.messageExpiry(Duration.ofSeconds((Long) value));
                    }
                }
                case CONTENT_TYPE -> message.contentType((String) value);
                case RESPONSE_TOPIC -> message.responseTopic((String) value);
                case CORRELATION_DATA -> message.correlationData((byte[]) value);
                case USER_PROPERTY -> message.userProperty(((UserProperty) value).name(), ((UserProperty) value).value());
                case SUBSCRIPTION_IDENTIFIER -> api.subscriptionIdentifier(message, (int) (long) (Long) value);
                default -> { } // topic alias: resolved by the session
            }
        }
        return message.build();
    }
}
