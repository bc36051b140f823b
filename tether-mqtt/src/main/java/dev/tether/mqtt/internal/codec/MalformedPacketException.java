package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ReasonCode;

/**
 * A received packet broke the wire format or a protocol rule. The reason code is the one the
 * specification assigns, and the one the DISCONNECT carries: {@code MALFORMED_PACKET},
 * {@code PROTOCOL_ERROR}, {@code PACKET_TOO_LARGE}, {@code TOPIC_NAME_INVALID},
 * {@code TOPIC_ALIAS_INVALID}, or {@code UNSUPPORTED_PROTOCOL_VERSION} for a CONNECT of another
 * protocol level.
 */
public final class MalformedPacketException extends MqttProtocolException {

    private static final long serialVersionUID = 1L;

    public MalformedPacketException(ReasonCode reasonCode, String message) {
        super(reasonCode, message);
    }

    static MalformedPacketException malformed(String message) {
        return new MalformedPacketException(ReasonCode.MALFORMED_PACKET, message);
    }

    static MalformedPacketException protocolError(String message) {
        return new MalformedPacketException(ReasonCode.PROTOCOL_ERROR, message);
    }
}
