package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.DisconnectRequest;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;

/**
 * The DISCONNECT a {@link DisconnectRequest} asks for, checked against the CONNECT the client
 * sent: what MQTT 3.1.1 cannot say, and a session expiry the session may not get, are refused
 * before anything is sent.
 *
 * <pre>{@code
 * Disconnect packet = Disconnects.packet(request, connect);
 * }</pre>
 */
final class Disconnects {

    private Disconnects() {
    }

    /**
     * The packet for {@code request}.
     *
     * @throws IllegalArgumentException if it needs MQTT 5 and the client speaks 3.1.1, or sets a
     *     non-zero session expiry though the CONNECT's was zero [MQTT-3.14.2-2]
     */
    static Disconnect packet(DisconnectRequest request, Connect connect) {
        boolean plain = request.reasonCode() == ReasonCode.NORMAL_DISCONNECTION && request.reasonString() == null
                && request.sessionExpiry() == null && request.userProperties().isEmpty();
        if (plain) {
            return Disconnect.NORMAL;
        }
        if (connect.version() != ProtocolVersion.V5) {
            throw new IllegalArgumentException("a DISCONNECT with a reason code, reason string, session expiry or user"
                    + " properties needs MQTT 5; an MQTT 3.1.1 DISCONNECT carries nothing: " + request);
        }
        Properties.Builder properties = Properties.builder();
        if (request.sessionExpiry() != null) {
            long asked = connect.properties().integer(Property.SESSION_EXPIRY_INTERVAL, 0);
            if (asked == 0 && !request.sessionExpiry().isZero()) {
                throw new IllegalArgumentException("a session expiry of " + request.sessionExpiry().toSeconds()
                        + " s on DISCONNECT needs a non-zero session expiry on CONNECT (MQTT-3.14.2-2): this client"
                        + " connected with none, so its session ends with the connection");
            }
            properties.integer(Property.SESSION_EXPIRY_INTERVAL, request.sessionExpiry().toSeconds());
        }
        if (request.reasonString() != null) {
            properties.string(Property.REASON_STRING, request.reasonString());
        }
        request.userProperties().forEach(properties::userProperty);
        return new Disconnect(request.reasonCode(), properties.build());
    }
}
