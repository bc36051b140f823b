package dev.tether.mqtt.internal.codec;

/** The fifteen MQTT control packet types, with the fixed-header flags each requires. */
public enum PacketType {
    CONNECT(1, 0b0000),
    CONNACK(2, 0b0000),
    PUBLISH(3, -1),
    PUBACK(4, 0b0000),
    PUBREC(5, 0b0000),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0b0000),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0b0000),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0b0000),
    PINGREQ(12, 0b0000),
    PINGRESP(13, 0b0000),
    DISCONNECT(14, 0b0000),
    AUTH(15, 0b0000);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType type : values()) {
            BY_VALUE[type.value] = type;
        }
    }

    private final int value;
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    /** The type's value in the high nibble of the first byte. */
    public int value() {
        return value;
    }

    /**
     * The flags the low nibble must hold [MQTT-2.1.3-1] (2.2.2 in 3.1.1), or -1 for PUBLISH, whose
     * flags carry DUP, QoS and RETAIN.
     */
    int requiredFlags() {
        return requiredFlags;
    }

    /** The type with that value, or null for the reserved value 0. */
    static PacketType ofValue(int value) {
        return BY_VALUE[value];
    }
}
