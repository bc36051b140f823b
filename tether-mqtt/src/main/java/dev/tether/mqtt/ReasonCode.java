package dev.tether.mqtt;

/**
 * An MQTT 5 reason code: the outcome of an operation as the broker or client reported it.
 *
 * <p>MQTT 3.1.1's CONNACK return codes and SUBACK codes map onto these too, so one type serves
 * both versions. Several names share a value (0x00 is {@link #SUCCESS}, {@link #NORMAL_DISCONNECTION}
 * and {@link #GRANTED_QOS_0}); which one applies depends on the packet it came in.
 *
 * <pre>{@code
 * PublishResult result = client.publish("a/b", "x", Qos.AT_LEAST_ONCE);
 * if (result.reasonCode() == ReasonCode.NO_MATCHING_SUBSCRIBERS) { ... }
 * }</pre>
 */
public enum ReasonCode {
    /** 0x00: the operation succeeded. */
    SUCCESS(0x00),
    /** 0x00 in DISCONNECT: closing normally, do not send the will. */
    NORMAL_DISCONNECTION(0x00),
    /** 0x00 in SUBACK: subscribed with maximum QoS 0. */
    GRANTED_QOS_0(0x00),
    /** 0x01 in SUBACK: subscribed with maximum QoS 1. */
    GRANTED_QOS_1(0x01),
    /** 0x02 in SUBACK: subscribed with maximum QoS 2. */
    GRANTED_QOS_2(0x02),
    /** 0x04 in DISCONNECT: closing normally, but the server is to publish the will. */
    DISCONNECT_WITH_WILL_MESSAGE(0x04),
    /** 0x10: accepted, but nobody is subscribed to the topic. */
    NO_MATCHING_SUBSCRIBERS(0x10),
    /** 0x11 in UNSUBACK: there was no such subscription. */
    NO_SUBSCRIPTION_EXISTED(0x11),
    /** 0x18 in AUTH: continue the authentication exchange. */
    CONTINUE_AUTHENTICATION(0x18),
    /** 0x19 in AUTH: start re-authentication. */
    RE_AUTHENTICATE(0x19),
    /** 0x80: the operation failed and the sender gives no more specific reason. */
    UNSPECIFIED_ERROR(0x80),
    /** 0x81: a packet could not be parsed according to the specification. */
    MALFORMED_PACKET(0x81),
    /** 0x82: a packet was parsed but breaks a rule of the protocol. */
    PROTOCOL_ERROR(0x82),
    /** 0x83: valid, but the receiver does not accept it. */
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    /** 0x84: the server does not support the requested protocol version. */
    UNSUPPORTED_PROTOCOL_VERSION(0x84),
    /** 0x85: the client identifier is well formed but not allowed. */
    CLIENT_IDENTIFIER_NOT_VALID(0x85),
    /** 0x86: the user name or password was refused. */
    BAD_USER_NAME_OR_PASSWORD(0x86),
    /** 0x87: the client is not authorized for this operation. */
    NOT_AUTHORIZED(0x87),
    /** 0x88: the server is not available. */
    SERVER_UNAVAILABLE(0x88),
    /** 0x89: the server is busy; try later. */
    SERVER_BUSY(0x89),
    /** 0x8A: the client has been banned. */
    BANNED(0x8A),
    /** 0x8B: the server is shutting down. */
    SERVER_SHUTTING_DOWN(0x8B),
    /** 0x8C: the authentication method is not supported or does not match. */
    BAD_AUTHENTICATION_METHOD(0x8C),
    /** 0x8D: no packet came within 1.5 times the keep alive. */
    KEEP_ALIVE_TIMEOUT(0x8D),
    /** 0x8E: another connection with the same client identifier took over the session. */
    SESSION_TAKEN_OVER(0x8E),
    /** 0x8F: the topic filter is well formed but not accepted. */
    TOPIC_FILTER_INVALID(0x8F),
    /** 0x90: the topic name is not accepted. */
    TOPIC_NAME_INVALID(0x90),
    /** 0x91: the packet identifier is already in use. */
    PACKET_IDENTIFIER_IN_USE(0x91),
    /** 0x92: the packet identifier is not known. */
    PACKET_IDENTIFIER_NOT_FOUND(0x92),
    /** 0x93: more QoS 1/2 publishes in flight than the receive maximum allows. */
    RECEIVE_MAXIMUM_EXCEEDED(0x93),
    /** 0x94: the topic alias is zero or above the agreed maximum. */
    TOPIC_ALIAS_INVALID(0x94),
    /** 0x95: the packet exceeds the maximum packet size. */
    PACKET_TOO_LARGE(0x95),
    /** 0x96: messages arrive faster than the receiver allows. */
    MESSAGE_RATE_TOO_HIGH(0x96),
    /** 0x97: an administrative quota was exceeded. */
    QUOTA_EXCEEDED(0x97),
    /** 0x98: the connection was closed by an administrative action. */
    ADMINISTRATIVE_ACTION(0x98),
    /** 0x99: the payload does not match its payload format indicator. */
    PAYLOAD_FORMAT_INVALID(0x99),
    /** 0x9A: the server does not support retained messages. */
    RETAIN_NOT_SUPPORTED(0x9A),
    /** 0x9B: the QoS is above the server's maximum QoS. */
    QOS_NOT_SUPPORTED(0x9B),
    /** 0x9C: the client should temporarily use another server. */
    USE_ANOTHER_SERVER(0x9C),
    /** 0x9D: the client should permanently use another server. */
    SERVER_MOVED(0x9D),
    /** 0x9E: the server does not support shared subscriptions. */
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E),
    /** 0x9F: the client connects too often. */
    CONNECTION_RATE_EXCEEDED(0x9F),
    /** 0xA0: the connection lasted as long as it is allowed to. */
    MAXIMUM_CONNECT_TIME(0xA0),
    /** 0xA1: the server does not support subscription identifiers. */
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1),
    /** 0xA2: the server does not support wildcard subscriptions. */
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2);

    private final int code;

    ReasonCode(int code) {
        this.code = code;
    }

    /** {@return the byte on the wire, 0x00 to 0xA2} */
    public int code() {
        return code;
    }

    /** {@return true for codes of 0x80 and above, which report a failure} */
    public boolean isError() {
        return code >= 0x80;
    }

    /** {@return the name and value, e.g. {@code "PACKET_TOO_LARGE (0x95)"}} */
    public String describe() {
        return String.format("%s (0x%02X)", name(), code);
    }
}
