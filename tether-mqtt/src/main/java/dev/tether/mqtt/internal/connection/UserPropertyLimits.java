package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.internal.codec.Auth;
import dev.tether.mqtt.internal.codec.Connack;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Puback;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Unsuback;
import dev.tether.mqtt.internal.transport.InboundLimits;

/**
 * The client's own limit on the user properties of one packet from the broker, in number and in
 * bytes: a broker that sends more is disconnected, with a reason string naming the limit.
 */
final class UserPropertyLimits {

    private UserPropertyLimits() {
    }

    /** A packet from the broker within the limits on user properties, or the reason it is not. */
    static void check(Packet packet, InboundLimits limits, String name) throws MqttProtocolException {
        Properties properties = properties(packet);
        if (properties.isEmpty()) {
            return;
        }
        int count = 0;
        long bytes = 0;
        for (int i = 0; i < properties.size(); i++) {
            Properties.Entry entry = properties.get(i);
            if (entry.property() == Property.USER_PROPERTY) {
                count++;
                UserProperty property = (UserProperty) entry.value();
                bytes += utf8Length(property.name()) + utf8Length(property.value());
            }
        }
        if (count > limits.maximumUserProperties()) {
            throw new MqttProtocolException(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "broker " + name + " sent "
                    + packet.type() + " with " + count + " user properties, more than the limit of "
                    + limits.maximumUserProperties());
        }
        if (bytes > limits.maximumUserPropertyBytes()) {
            throw new MqttProtocolException(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "broker " + name + " sent "
                    + packet.type() + " with " + bytes + " bytes of user properties, more than the limit of "
                    + limits.maximumUserPropertyBytes());
        }
    }

    /** {@return the properties of a packet from the broker; empty for the packets that have none} */
    static Properties properties(Packet packet) {
        return switch (packet) {
            case Publish p -> p.properties();
            case Connack p -> p.properties();
            case Disconnect p -> p.properties();
            case Auth p -> p.properties();
            case Puback p -> p.properties();
            case Pubrec p -> p.properties();
            case Pubrel p -> p.properties();
            case Pubcomp p -> p.properties();
            case Suback p -> p.properties();
            case Unsuback p -> p.properties();
            default -> Properties.EMPTY;
        };
    }

    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            length += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return length;
    }
}
