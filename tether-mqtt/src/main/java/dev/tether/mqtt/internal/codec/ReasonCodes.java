package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.ReasonCode.*;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which reason codes each packet may carry (MQTT 5, 2.4 and each packet's section), and how
 * MQTT 3.1.1's CONNACK return codes and SUBACK codes map onto them.
 */
final class ReasonCodes {

    private static final Map<PacketType, List<ReasonCode>> V5 = new EnumMap<>(PacketType.class);
    private static final Map<PacketType, List<ReasonCode>> V3 = new EnumMap<>(PacketType.class);

    static {
        V5.put(PacketType.CONNACK, List.of(SUCCESS, UNSPECIFIED_ERROR, MALFORMED_PACKET, PROTOCOL_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, UNSUPPORTED_PROTOCOL_VERSION, CLIENT_IDENTIFIER_NOT_VALID,
                BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED, SERVER_UNAVAILABLE, SERVER_BUSY, BANNED,
                BAD_AUTHENTICATION_METHOD, TOPIC_NAME_INVALID, PACKET_TOO_LARGE, QUOTA_EXCEEDED,
                PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED, QOS_NOT_SUPPORTED, USE_ANOTHER_SERVER,
                SERVER_MOVED, CONNECTION_RATE_EXCEEDED));
        List<ReasonCode> publishAcks = List.of(SUCCESS, NO_MATCHING_SUBSCRIBERS, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_NAME_INVALID, PACKET_IDENTIFIER_IN_USE,
                QUOTA_EXCEEDED, PAYLOAD_FORMAT_INVALID);
        V5.put(PacketType.PUBACK, publishAcks);
        V5.put(PacketType.PUBREC, publishAcks);
        V5.put(PacketType.PUBREL, List.of(SUCCESS, PACKET_IDENTIFIER_NOT_FOUND));
        V5.put(PacketType.PUBCOMP, List.of(SUCCESS, PACKET_IDENTIFIER_NOT_FOUND));
        V5.put(PacketType.SUBACK, List.of(GRANTED_QOS_0, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE,
                QUOTA_EXCEEDED, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED));
        V5.put(PacketType.UNSUBACK, List.of(SUCCESS, NO_SUBSCRIPTION_EXISTED, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE));
        V5.put(PacketType.DISCONNECT, List.of(NORMAL_DISCONNECTION, DISCONNECT_WITH_WILL_MESSAGE,
                UNSPECIFIED_ERROR, MALFORMED_PACKET, PROTOCOL_ERROR, IMPLEMENTATION_SPECIFIC_ERROR,
                NOT_AUTHORIZED, SERVER_BUSY, SERVER_SHUTTING_DOWN, KEEP_ALIVE_TIMEOUT, SESSION_TAKEN_OVER,
                TOPIC_FILTER_INVALID, TOPIC_NAME_INVALID, RECEIVE_MAXIMUM_EXCEEDED, TOPIC_ALIAS_INVALID,
                PACKET_TOO_LARGE, MESSAGE_RATE_TOO_HIGH, QUOTA_EXCEEDED, ADMINISTRATIVE_ACTION,
                PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED, QOS_NOT_SUPPORTED, USE_ANOTHER_SERVER,
                SERVER_MOVED, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, CONNECTION_RATE_EXCEEDED, MAXIMUM_CONNECT_TIME,
                SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED));
        V5.put(PacketType.AUTH, List.of(SUCCESS, CONTINUE_AUTHENTICATION, RE_AUTHENTICATE));

        // 3.1.1's CONNACK return codes, indexed by their value 0 to 5 (3.1.1, 3.2.2.3).
        V3.put(PacketType.CONNACK, List.of(SUCCESS, UNSUPPORTED_PROTOCOL_VERSION, CLIENT_IDENTIFIER_NOT_VALID,
                SERVER_UNAVAILABLE, BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED));
        V3.put(PacketType.SUBACK, List.of(GRANTED_QOS_0, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR));
    }

    private ReasonCodes() {
    }

    /** The reason codes {@code packet} may carry in {@code version}; empty where it carries none. */
    static List<ReasonCode> legal(ProtocolVersion version, PacketType packet) {
        return (version == ProtocolVersion.V5 ? V5 : V3).getOrDefault(packet, List.of());
    }

    /** The code {@code value} means in {@code packet}, or null when that packet may not carry it. */
    static ReasonCode decode(ProtocolVersion version, PacketType packet, int value) {
        for (ReasonCode code : legal(version, packet)) {
            if (wireValue(version, packet, code) == value) {
                return code;
            }
        }
        return null;
    }

    /** The byte that stands for {@code code} in {@code packet}: 3.1.1's CONNACK numbers its own way. */
    static int wireValue(ProtocolVersion version, PacketType packet, ReasonCode code) {
        if (version == ProtocolVersion.V3_1_1 && packet == PacketType.CONNACK) {
            return V3.get(PacketType.CONNACK).indexOf(code);
        }
        return code.code();
    }
}
