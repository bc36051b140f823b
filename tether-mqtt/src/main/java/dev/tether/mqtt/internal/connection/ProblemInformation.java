package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Auth;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Puback;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Unsuback;

/**
 * MQTT 5, Request Problem Information 0 (3.1.2.11.7): the client asked the broker to leave reason
 * strings and user properties out of every packet but PUBLISH, CONNACK and DISCONNECT. A broker
 * that sends them anyway is disconnected with Protocol Error (0x82), as the section says.
 */
final class ProblemInformation {

    private ProblemInformation() {
    }

    /** A packet from the broker that keeps to Request Problem Information 0, or the reason it does not. */
    static void checkWithheld(Packet packet, String name) throws MqttProtocolException {
        Properties properties = switch (packet) {
            case Puback p -> p.properties();
            case Pubrec p -> p.properties();
            case Pubrel p -> p.properties();
            case Pubcomp p -> p.properties();
            case Suback p -> p.properties();
            case Unsuback p -> p.properties();
            case Auth p -> p.properties();
            default -> Properties.EMPTY;
        };
        if (properties.contains(Property.REASON_STRING) || properties.contains(Property.USER_PROPERTY)) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name + " sent " + packet.type()
                    + " with a reason string or user properties, which the client asked it to leave out"
                    + " (Request Problem Information 0, MQTT 5 3.1.2.11.7)");
        }
    }
}
