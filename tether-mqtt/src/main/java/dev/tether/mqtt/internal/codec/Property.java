package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.internal.codec.PacketType.AUTH;
import static dev.tether.mqtt.internal.codec.PacketType.CONNACK;
import static dev.tether.mqtt.internal.codec.PacketType.CONNECT;
import static dev.tether.mqtt.internal.codec.PacketType.DISCONNECT;
import static dev.tether.mqtt.internal.codec.PacketType.PUBACK;
import static dev.tether.mqtt.internal.codec.PacketType.PUBCOMP;
import static dev.tether.mqtt.internal.codec.PacketType.PUBLISH;
import static dev.tether.mqtt.internal.codec.PacketType.PUBREC;
import static dev.tether.mqtt.internal.codec.PacketType.PUBREL;
import static dev.tether.mqtt.internal.codec.PacketType.SUBACK;
import static dev.tether.mqtt.internal.codec.PacketType.SUBSCRIBE;
import static dev.tether.mqtt.internal.codec.PacketType.UNSUBACK;
import static dev.tether.mqtt.internal.codec.PacketType.UNSUBSCRIBE;
import static dev.tether.mqtt.internal.codec.PropertyType.BINARY_DATA;
import static dev.tether.mqtt.internal.codec.PropertyType.BYTE;
import static dev.tether.mqtt.internal.codec.PropertyType.FOUR_BYTE_INTEGER;
import static dev.tether.mqtt.internal.codec.PropertyType.TWO_BYTE_INTEGER;
import static dev.tether.mqtt.internal.codec.PropertyType.UTF8_STRING;
import static dev.tether.mqtt.internal.codec.PropertyType.UTF8_STRING_PAIR;
import static dev.tether.mqtt.internal.codec.PropertyType.VARIABLE_BYTE_INTEGER;

import dev.tether.mqtt.ReasonCode;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every MQTT 5 property (MQTT 5, table 2-4 and 2.2.2.2): its identifier, wire type, the packets
 * it may appear in (and whether in a will), and whether it may repeat.
 */
public enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, FOUR_BYTE_INTEGER, true, PUBLISH),
    CONTENT_TYPE(0x03, UTF8_STRING, true, PUBLISH),
    RESPONSE_TOPIC(0x08, UTF8_STRING, true, PUBLISH),
    CORRELATION_DATA(0x09, BINARY_DATA, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, VARIABLE_BYTE_INTEGER, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, FOUR_BYTE_INTEGER, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, UTF8_STRING, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, TWO_BYTE_INTEGER, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, UTF8_STRING, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, BINARY_DATA, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, FOUR_BYTE_INTEGER, true),
    REQUEST_RESPONSE_INFORMATION(0x19, BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, UTF8_STRING, false, CONNACK),
    SERVER_REFERENCE(0x1C, UTF8_STRING, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, UTF8_STRING, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, TWO_BYTE_INTEGER, false, PUBLISH),
    MAXIMUM_QOS(0x24, BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, BYTE, false, CONNACK),
    USER_PROPERTY(0x26, UTF8_STRING_PAIR, true, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL,
            PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, FOUR_BYTE_INTEGER, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, BYTE, false, CONNACK);

    private static final Property[] BY_ID = new Property[0x2B];

    static {
        for (Property property : values()) {
            BY_ID[property.id] = property;
        }
    }

    private final int id;
    private final PropertyType type;
    private final boolean inWill;
    private final Set<PacketType> packets;
    private final String displayName;

    Property(int id, PropertyType type, boolean inWill, PacketType... packets) {
        this.id = id;
        this.type = type;
        this.inWill = inWill;
        this.packets = packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.of(packets[0], packets);
        this.displayName = displayName(name());
    }

    public int id() {
        return id;
    }

    public PropertyType type() {
        return type;
    }

    /** The property with that identifier, or null if none has it. */
    static Property ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** Whether the property may appear in that packet, or in a will when {@code packet} is null. */
    public boolean allowedIn(PacketType packet) {
        return packet == null ? inWill : packets.contains(packet);
    }

    /**
     * Whether it may appear more than once in that packet: user properties anywhere, subscription
     * identifiers in PUBLISH only [MQTT-3.3.4-4]; everything else at most once.
     */
    public boolean repeatableIn(PacketType packet) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && packet == PUBLISH);
    }

    /**
     * Why an integer value is not allowed, as the reason code of the packet carrying it, or null
     * when it is fine. The values the specification reserves are protocol errors.
     */
    ReasonCode checkValue(long value) {
        return switch (this) {
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION,
                 MAXIMUM_QOS, RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE,
                 SUBSCRIPTION_IDENTIFIER_AVAILABLE, SHARED_SUBSCRIPTION_AVAILABLE ->
                    value <= 1 ? null : ReasonCode.PROTOCOL_ERROR;
            case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, SUBSCRIPTION_IDENTIFIER ->
                    value != 0 ? null : ReasonCode.PROTOCOL_ERROR;
            case TOPIC_ALIAS -> value != 0 ? null : ReasonCode.TOPIC_ALIAS_INVALID; // [MQTT-3.3.2-8]
            default -> null;
        };
    }

    /** The name as the specification writes it, for messages, e.g. "Receive Maximum". */
    public String displayName() {
        return displayName;
    }

    private static String displayName(String constant) {
        StringBuilder name = new StringBuilder();
        for (String word : constant.split("_")) {
            if (!name.isEmpty()) {
                name.append(' ');
            }
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
