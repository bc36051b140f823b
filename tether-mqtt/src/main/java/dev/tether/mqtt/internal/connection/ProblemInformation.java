package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Connack;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;

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
        if (packet instanceof Publish || packet instanceof Connack || packet instanceof Disconnect) {
            return;
        }
        Properties properties = UserPropertyLimits.properties(packet);
        if (properties.contains(Property.REASON_STRING) || properties.contains(Property.USER_PROPERTY)) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name + " sent " + packet.type()
                    + " with a reason string or user properties, which the client asked it to leave out"
                    + " (Request Problem Information 0, MQTT 5 3.1.2.11.7)");
        }
    }
}
