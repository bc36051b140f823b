package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.internal.codec.FieldEncoder.binarySize;
import static dev.tether.mqtt.internal.codec.FieldEncoder.propertiesLength;
import static dev.tether.mqtt.internal.codec.FieldEncoder.stringSize;
import static dev.tether.mqtt.internal.codec.FieldEncoder.writeBinary;
import static dev.tether.mqtt.internal.codec.FieldEncoder.writeString;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Turns packets into bytes. It computes the exact size first and then writes once, straight into
 * the output: no intermediate arrays, no copy of the payload other than into the output itself.
 * Given the peer's Maximum Packet Size it leaves out the reason string, then the user properties,
 * where the specification allows [MQTT-3.4.2-2, MQTT-3.4.2-3 and their twins in the other
 * acknowledgements], and otherwise refuses the packet: it never produces a packet larger than the
 * peer accepts [MQTT-3.2.2-15].
 *
 * <pre>{@code
 * PacketEncoder encoder = new PacketEncoder(ProtocolVersion.V5);
 * ByteBuffer bytes = encoder.encode(publish, serverMaximumPacketSize);
 * channel.write(bytes);
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class PacketEncoder {

    /** The largest packet MQTT can express: a 4-byte remaining length plus the fixed header. */
    public static final int PROTOCOL_MAXIMUM_PACKET_SIZE = 1 + 4 + VariableByteInteger.MAXIMUM;

    private final ProtocolVersion version;
    private final boolean v5;

    public PacketEncoder(ProtocolVersion version) {
        this.version = version;
        this.v5 = version == ProtocolVersion.V5;
    }

    /** The whole packet's size in bytes, fixed header included. */
    public int size(Packet packet) {
        int remaining = remainingLength(packet);
        return 1 + VariableByteInteger.size(remaining) + remaining;
    }

    /** Encodes into a new buffer of exactly the packet's size, ready to read. */
    public ByteBuffer encode(Packet packet) {
        int remaining = remainingLength(packet);
        ByteBuffer out = ByteBuffer.allocate(1 + VariableByteInteger.size(remaining) + remaining);
        write(packet, remaining, out);
        return out.flip();
    }

    /**
     * Encodes a packet that must not exceed {@code maximumPacketSize}, dropping the reason string
     * and then the user properties of packets where the specification allows it.
     *
     * @throws MqttException with {@code PACKET_TOO_LARGE} when the packet cannot be made to fit
     */
    public ByteBuffer encode(Packet packet, int maximumPacketSize) throws MqttException {
        return encode(fit(packet, maximumPacketSize));
    }

    /**
     * Writes the packet at {@code out}'s position; {@code out} must have {@link #size} bytes left.
     * MQTT is big-endian whatever the buffer's byte order, which is restored afterwards.
     */
    public void encode(Packet packet, ByteBuffer out) {
        ByteOrder order = out.order();
        out.order(ByteOrder.BIG_ENDIAN);
        try {
            write(packet, remainingLength(packet), out);
        } finally {
            out.order(order);
        }
    }

    /**
     * Writes everything of a PUBLISH but its payload at {@code out}'s position: the fixed header
     * (whose remaining length counts the payload), the variable header and the properties. The
     * caller then writes {@code publish.payload()} itself, so a large payload goes to the socket
     * straight from its array instead of being copied into a buffer first. {@code out} must have
     * {@link #size} minus the payload's length bytes left.
     */
    public void encodePublishHeader(Publish publish, ByteBuffer out) {
        ByteOrder order = out.order();
        out.order(ByteOrder.BIG_ENDIAN);
        try {
            writePublishHeader(publish, remainingLength(publish), out);
        } finally {
            out.order(order);
        }
    }

    /** The packet itself, or a smaller version of it that fits; see {@link #encode(Packet, int)}. */
    public Packet fit(Packet packet, int maximumPacketSize) throws MqttException {
        int size = size(packet);
        if (size <= maximumPacketSize) {
            return packet;
        }
        if (mayDropDiagnostics(packet.type())) {
            Packet smaller = withProperties(packet, properties(packet).without(Property.REASON_STRING));
            if (size(smaller) <= maximumPacketSize) {
                return smaller;
            }
            smaller = withProperties(packet, properties(packet).without(Property.REASON_STRING, Property.USER_PROPERTY));
            if (size(smaller) <= maximumPacketSize) {
                return smaller;
            }
        }
        throw new MqttException(ReasonCode.PACKET_TOO_LARGE, packet.type() + " of " + size
                + " bytes exceeds the peer's maximum packet size of " + maximumPacketSize + " bytes");
    }

    /** Packets whose reason string and user properties are diagnostics the sender may leave out. */
    private static boolean mayDropDiagnostics(PacketType type) {
        return Property.REASON_STRING.allowedIn(type);
    }

    private int remainingLength(Packet packet) {
        long length = switch (packet) {
            case Connect p -> connectLength(p);
            case Connack p -> 2 + propertiesSize(p.properties(), PacketType.CONNACK);
            case Publish p -> publishLength(p);
            case Puback p -> publishAckLength(PacketType.PUBACK, p.reasonCode(), p.properties());
            case Pubrec p -> publishAckLength(PacketType.PUBREC, p.reasonCode(), p.properties());
            case Pubrel p -> publishAckLength(PacketType.PUBREL, p.reasonCode(), p.properties());
            case Pubcomp p -> publishAckLength(PacketType.PUBCOMP, p.reasonCode(), p.properties());
            case Subscribe p -> subscribeLength(p);
            case Suback p -> 2 + propertiesSize(p.properties(), PacketType.SUBACK) + p.reasonCodes().size();
            case Unsubscribe p -> unsubscribeLength(p);
            case Unsuback p -> unsubackLength(p);
            case Pingreq p -> 0;
            case Pingresp p -> 0;
            case Disconnect p -> optionalTailLength(PacketType.DISCONNECT, p.reasonCode(),
                    ReasonCode.NORMAL_DISCONNECTION, p.properties());
            case Auth p -> authLength(p);
        };
        if (length > VariableByteInteger.MAXIMUM) {
            throw new IllegalArgumentException(packet.type() + " body of " + length
                    + " bytes exceeds MQTT's limit of " + VariableByteInteger.MAXIMUM + " bytes");
        }
        return (int) length;
    }

    private long connectLength(Connect p) {
        if (p.version() != version) {
            throw new IllegalArgumentException("a " + p.version() + " CONNECT cannot go through a " + version + " encoder");
        }
        if (!v5 && p.password() != null && p.username() == null) {
            throw new IllegalArgumentException("MQTT 3.1.1 allows a password only with a user name [MQTT-3.1.2-22]");
        }
        long length = 10 + propertiesSize(p.properties(), PacketType.CONNECT) + stringSize(p.clientId());
        if (p.will() != null) {
            Will will = p.will();
            length += propertiesSize(will.properties(), null) + stringSize(will.topic()) + binarySize(will.payload());
        }
        if (p.username() != null) {
            length += stringSize(p.username());
        }
        if (p.password() != null) {
            length += binarySize(p.password());
        }
        return length;
    }

    private long publishLength(Publish p) {
        return stringSize(p.topic()) + (p.packetId() != 0 ? 2 : 0)
                + propertiesSize(p.properties(), PacketType.PUBLISH) + p.payload().length;
    }

    /** MQTT 5 leaves out a SUCCESS reason code with no properties, and empty properties (3.4.2.1). */
    private long publishAckLength(PacketType type, ReasonCode reasonCode, Properties properties) {
        checkReasonCode(type, reasonCode);
        if (!v5) {
            propertiesSize(properties, type); // rejects properties in 3.1.1
            return 2;
        }
        return 2 + optionalTailLength(type, reasonCode, ReasonCode.SUCCESS, properties);
    }

    private long optionalTailLength(PacketType type, ReasonCode reasonCode, ReasonCode absent, Properties properties) {
        checkReasonCode(type, reasonCode);
        if (!v5) {
            propertiesSize(properties, type);
            return 0;
        }
        if (properties.isEmpty()) {
            return reasonCode == absent ? 0 : 1;
        }
        return 1 + propertiesSize(properties, type);
    }

    private long subscribeLength(Subscribe p) {
        long length = 2 + propertiesSize(p.properties(), PacketType.SUBSCRIBE);
        for (TopicSubscription subscription : p.subscriptions()) {
            if (!v5 && (subscription.noLocal() || subscription.retainAsPublished() || subscription.retainHandling() != 0)) {
                throw new IllegalArgumentException("MQTT 3.1.1 has no subscription options other than QoS");
            }
            length += stringSize(subscription.filter()) + 1;
        }
        return length;
    }

    private long unsubscribeLength(Unsubscribe p) {
        long length = 2 + propertiesSize(p.properties(), PacketType.UNSUBSCRIBE);
        for (String filter : p.filters()) {
            length += stringSize(filter);
        }
        return length;
    }

    private long unsubackLength(Unsuback p) {
        if (!v5 && !p.reasonCodes().isEmpty()) {
            throw new IllegalArgumentException("an MQTT 3.1.1 UNSUBACK carries no reason codes");
        }
        for (ReasonCode code : p.reasonCodes()) {
            checkReasonCode(PacketType.UNSUBACK, code);
        }
        return 2 + propertiesSize(p.properties(), PacketType.UNSUBACK) + p.reasonCodes().size();
    }

    private long authLength(Auth p) {
        if (!v5) {
            throw new IllegalArgumentException("AUTH exists in MQTT 5 only");
        }
        return optionalTailLength(PacketType.AUTH, p.reasonCode(), ReasonCode.SUCCESS, p.properties());
    }

    private void checkReasonCode(PacketType type, ReasonCode code) {
        List<ReasonCode> legal = ReasonCodes.legal(version, type);
        boolean v3WithoutCodes = !v5 && legal.isEmpty();
        if (v3WithoutCodes ? code != ReasonCode.SUCCESS && code != ReasonCode.NORMAL_DISCONNECTION : !legal.contains(code)) {
            throw new IllegalArgumentException(code.describe() + " is not a reason code " + version + " " + type + " may carry");
        }
    }

    /** Length of the property section, its own length prefix included; 0 in MQTT 3.1.1. */
    private long propertiesSize(Properties properties, PacketType packet) {
        if (!v5) {
            if (!properties.isEmpty()) {
                throw new IllegalArgumentException("MQTT 3.1.1 packets carry no properties, " + packet + " has " + properties);
            }
            return 0;
        }
        long length = propertiesLength(properties, packet);
        return VariableByteInteger.size((int) Math.min(length, VariableByteInteger.MAXIMUM)) + length;
    }

    private void writePublishHeader(Publish p, int remainingLength, ByteBuffer out) {
        out.put((byte) (p.type().value() << 4 | flags(p)));
        VariableByteInteger.write(out, remainingLength);
        writePublishVariableHeader(p, out);
    }

    private void writePublishVariableHeader(Publish p, ByteBuffer out) {
        writeString(p.topic(), out);
        if (p.packetId() != 0) {
            out.putShort((short) p.packetId());
        }
        writeProperties(p.properties(), PacketType.PUBLISH, out);
    }

    private void write(Packet packet, int remainingLength, ByteBuffer out) {
        out.put((byte) (packet.type().value() << 4 | flags(packet)));
        VariableByteInteger.write(out, remainingLength);
        switch (packet) {
            case Connect p -> writeConnect(p, out);
            case Connack p -> {
                out.put((byte) (p.sessionPresent() ? 1 : 0));
                out.put((byte) ReasonCodes.wireValue(version, PacketType.CONNACK, p.reasonCode()));
                writeProperties(p.properties(), PacketType.CONNACK, out);
            }
            case Publish p -> {
                writePublishVariableHeader(p, out);
                out.put(p.payload());
            }
            case Puback p -> writePublishAck(p.packetId(), remainingLength, p.reasonCode(), p.properties(), PacketType.PUBACK, out);
            case Pubrec p -> writePublishAck(p.packetId(), remainingLength, p.reasonCode(), p.properties(), PacketType.PUBREC, out);
            case Pubrel p -> writePublishAck(p.packetId(), remainingLength, p.reasonCode(), p.properties(), PacketType.PUBREL, out);
            case Pubcomp p -> writePublishAck(p.packetId(), remainingLength, p.reasonCode(), p.properties(), PacketType.PUBCOMP, out);
            case Subscribe p -> {
                out.putShort((short) p.packetId());
                writeProperties(p.properties(), PacketType.SUBSCRIBE, out);
                for (TopicSubscription subscription : p.subscriptions()) {
                    writeString(subscription.filter(), out);
                    out.put((byte) (subscription.qos().code()
                            | (subscription.noLocal() ? 0x04 : 0)
                            | (subscription.retainAsPublished() ? 0x08 : 0)
                            | subscription.retainHandling() << 4));
                }
            }
            case Suback p -> {
                out.putShort((short) p.packetId());
                writeProperties(p.properties(), PacketType.SUBACK, out);
                for (ReasonCode code : p.reasonCodes()) {
                    checkReasonCode(PacketType.SUBACK, code);
                    out.put((byte) code.code());
                }
            }
            case Unsubscribe p -> {
                out.putShort((short) p.packetId());
                writeProperties(p.properties(), PacketType.UNSUBSCRIBE, out);
                for (String filter : p.filters()) {
                    writeString(filter, out);
                }
            }
            case Unsuback p -> {
                out.putShort((short) p.packetId());
                writeProperties(p.properties(), PacketType.UNSUBACK, out);
                for (ReasonCode code : p.reasonCodes()) {
                    out.put((byte) code.code());
                }
            }
            case Pingreq p -> { }
            case Pingresp p -> { }
            case Disconnect p -> writeOptionalTail(remainingLength, p.reasonCode(), p.properties(), PacketType.DISCONNECT, out);
            case Auth p -> writeOptionalTail(remainingLength, p.reasonCode(), p.properties(), PacketType.AUTH, out);
        }
    }

    private static int flags(Packet packet) {
        if (packet instanceof Publish p) {
            return (p.dup() ? 0x08 : 0) | p.qos().code() << 1 | (p.retain() ? 0x01 : 0);
        }
        return packet.type().requiredFlags();
    }

    private void writeConnect(Connect p, ByteBuffer out) {
        writeString("MQTT", out);
        out.put((byte) version.level());
        Will will = p.will();
        int flags = (p.cleanStart() ? 0x02 : 0)
                | (will != null ? 0x04 | will.qos().code() << 3 | (will.retain() ? 0x20 : 0) : 0)
                | (p.password() != null ? 0x40 : 0)
                | (p.username() != null ? 0x80 : 0);
        out.put((byte) flags);
        out.putShort((short) p.keepAliveSeconds());
        writeProperties(p.properties(), PacketType.CONNECT, out);
        writeString(p.clientId(), out);
        if (will != null) {
            writeProperties(will.properties(), null, out);
            writeString(will.topic(), out);
            writeBinary(will.payload(), out);
        }
        if (p.username() != null) {
            writeString(p.username(), out);
        }
        if (p.password() != null) {
            writeBinary(p.password(), out);
        }
    }

    private void writePublishAck(int packetId, int remainingLength, ReasonCode code, Properties properties,
                                 PacketType type, ByteBuffer out) {
        out.putShort((short) packetId);
        writeOptionalTail(remainingLength - 2, code, properties, type, out);
    }

    /** The reason code and properties that MQTT 5 leaves out when {@code tailLength} says so. */
    private void writeOptionalTail(int tailLength, ReasonCode code, Properties properties, PacketType type, ByteBuffer out) {
        if (tailLength >= 1) {
            out.put((byte) code.code());
        }
        if (tailLength > 1) {
            writeProperties(properties, type, out);
        }
    }

    private void writeProperties(Properties properties, PacketType packet, ByteBuffer out) {
        if (!v5) {
            return;
        }
        FieldEncoder.writeProperties(properties, packet, out);
    }

    private static Properties properties(Packet packet) {
        return switch (packet) {
            case Connect p -> p.properties();
            case Connack p -> p.properties();
            case Publish p -> p.properties();
            case Puback p -> p.properties();
            case Pubrec p -> p.properties();
            case Pubrel p -> p.properties();
            case Pubcomp p -> p.properties();
            case Subscribe p -> p.properties();
            case Suback p -> p.properties();
            case Unsubscribe p -> p.properties();
            case Unsuback p -> p.properties();
            case Pingreq p -> Properties.EMPTY;
            case Pingresp p -> Properties.EMPTY;
            case Disconnect p -> p.properties();
            case Auth p -> p.properties();
        };
    }

    private static Packet withProperties(Packet packet, Properties properties) {
        return switch (packet) {
            case Connack p -> new Connack(p.sessionPresent(), p.reasonCode(), properties);
            case Puback p -> new Puback(p.packetId(), p.reasonCode(), properties);
            case Pubrec p -> new Pubrec(p.packetId(), p.reasonCode(), properties);
            case Pubrel p -> new Pubrel(p.packetId(), p.reasonCode(), properties);
            case Pubcomp p -> new Pubcomp(p.packetId(), p.reasonCode(), properties);
            case Suback p -> new Suback(p.packetId(), p.reasonCodes(), properties);
            case Unsuback p -> new Unsuback(p.packetId(), p.reasonCodes(), properties);
            case Disconnect p -> new Disconnect(p.reasonCode(), properties);
            case Auth p -> new Auth(p.reasonCode(), properties);
            default -> throw new IllegalArgumentException(packet.type() + " properties are never dropped");
        };
    }
}
