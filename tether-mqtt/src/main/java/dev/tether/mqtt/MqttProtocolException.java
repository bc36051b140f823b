package dev.tether.mqtt;

/**
 * The peer broke the MQTT protocol: a malformed packet, a forbidden value, a packet too large.
 * The connection is closed with {@link #reasonCode()} in the DISCONNECT (MQTT 5).
 *
 * <pre>{@code
 * catch (MqttProtocolException e) {
 *     // e.reasonCode() is MALFORMED_PACKET, PROTOCOL_ERROR, PACKET_TOO_LARGE, ...
 * }
 * }</pre>
 */
public class MqttProtocolException extends MqttException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reasonCode the reason code that goes into the DISCONNECT
     * @param message which rule was broken, in words
     */
    public MqttProtocolException(ReasonCode reasonCode, String message) {
        super(reasonCode, message);
    }
}
