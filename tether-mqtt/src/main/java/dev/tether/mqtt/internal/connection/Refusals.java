package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.internal.codec.Connack;
import dev.tether.mqtt.internal.codec.Property;

/**
 * The exception for a CONNACK that refused the connection, with everything it said: the reason
 * code and the byte it was on the wire, the reason string, user properties and server reference.
 *
 * <pre>{@code
 * throw Refusals.refused(connack, ProtocolVersion.V5, "broker:1883");
 * }</pre>
 */
final class Refusals {

    private Refusals() {
    }

    static MqttConnectException refused(Connack connack, ProtocolVersion version, String name) {
        String reason = connack.properties().string(Property.REASON_STRING);
        String reference = connack.properties().string(Property.SERVER_REFERENCE);
        return new MqttConnectException(connack.reasonCode(), connack.wireValue(version), "broker " + name
                + " refused the connection: " + connack.reasonCode().describe() + (reason == null ? "" : ": " + reason)
                + (reference == null ? "" : " (server reference: " + reference + ")"), reference, reason,
                connack.properties().userProperties());
    }
}
