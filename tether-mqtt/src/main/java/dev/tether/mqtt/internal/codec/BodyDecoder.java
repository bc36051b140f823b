package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.internal.codec.MalformedPacketException.malformed;
import static dev.tether.mqtt.internal.codec.MalformedPacketException.protocolError;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.TopicFilter;
import java.util.ArrayList;
import java.util.List;

/** Parses the variable header and payload of each packet type, checking every rule on the way. */
final class BodyDecoder {

    private final ProtocolVersion version;
    private final boolean v5;
    private final PacketReader in;

    BodyDecoder(ProtocolVersion version, PacketReader in) {
        this.version = version;
        this.v5 = version == ProtocolVersion.V5;
        this.in = in;
    }

    /** Checks the first byte before anything else is read: a known type and its required flags. */
    void checkFixedHeader(int firstByte) throws MalformedPacketException {
        PacketType type = PacketType.ofValue(firstByte >>> 4);
        if (type == null || (type == PacketType.AUTH && !v5)) {
            throw malformed("packet type " + (firstByte >>> 4) + " is reserved");
        }
        int flags = firstByte & 0x0F;
        if (type == PacketType.PUBLISH) {
            int qos = flags >>> 1 & 0b11;
            if (qos == 3) {
                throw malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
            }
            if (qos == 0 && (flags & 0b1000) != 0) {
                throw malformed("PUBLISH with DUP set on QoS 0 [MQTT-3.3.1-2]");
            }
        } else if (flags != type.requiredFlags()) {
            throw malformed(type + " has fixed header flags " + fourBits(flags) + ", must be "
                    + fourBits(type.requiredFlags()) + (v5 ? " [MQTT-2.1.3-1]" : " [MQTT-2.2.2-2]"));
        }
    }

    /** The four flag bits with their leading zeros, as the specifications print them: {@code 0010}. */
    private static String fourBits(int flags) {
        return Integer.toBinaryString(0x10 | flags).substring(1);
    }

    Packet decode(int firstByte, int remainingLength) throws MalformedPacketException {
        PacketType type = PacketType.ofValue(firstByte >>> 4);
        Packet packet = switch (type) {
            case CONNECT -> connect();
            case CONNACK -> connack();
            case PUBLISH -> publish(firstByte & 0x0F);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> publishAck(type, remainingLength);
            case SUBSCRIBE -> subscribe();
            case SUBACK -> suback();
            case UNSUBSCRIBE -> unsubscribe();
            case UNSUBACK -> unsuback(remainingLength);
            case PINGREQ -> Pingreq.INSTANCE;
            case PINGRESP -> Pingresp.INSTANCE;
            case DISCONNECT -> new Disconnect(optionalReasonCode(type, ReasonCode.NORMAL_DISCONNECTION), optionalProperties(type));
            case AUTH -> new Auth(optionalReasonCode(type, ReasonCode.SUCCESS), optionalProperties(type));
        };
        in.expectEnd(type);
        return packet;
    }

    private Connect connect() throws MalformedPacketException {
        String protocolName = in.readUtf8("protocol name");
        int level = in.readByte("protocol level");
        if (!protocolName.equals("MQTT") || (level != 4 && level != 5)) {
            throw new MalformedPacketException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "unsupported protocol " + protocolName + " level " + level + "; MQTT levels 4 and 5 are supported");
        }
        ProtocolVersion connectVersion = ProtocolVersion.ofLevel(level);
        boolean connectV5 = connectVersion == ProtocolVersion.V5;
        int flags = in.readByte("connect flags");
        if ((flags & 0x01) != 0) {
            throw malformed("CONNECT reserved flag is set [MQTT-3.1.2-3]");
        }
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = flags >>> 3 & 0b11;
        boolean willRetain = (flags & 0x20) != 0;
        boolean hasPassword = (flags & 0x40) != 0;
        boolean hasUsername = (flags & 0x80) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw malformed("CONNECT has will QoS or will retain without a will [MQTT-3.1.2-11]");
        }
        if (willQos == 3) {
            throw malformed("CONNECT will QoS 3 [MQTT-3.1.2-12]");
        }
        if (!connectV5 && hasPassword && !hasUsername) {
            throw malformed("MQTT 3.1.1 CONNECT has a password without a user name [MQTT-3.1.2-22]");
        }
        int keepAlive = in.readTwoByteInteger("keep alive");
        Properties properties = connectV5 ? in.readProperties(PacketType.CONNECT) : Properties.EMPTY;
        String clientId = in.readUtf8("client identifier");
        Will will = null;
        if (willFlag) {
            Properties willProperties = connectV5 ? in.readProperties(null) : Properties.EMPTY;
            String willTopic = in.readUtf8("will topic");
            checkTopicName(willTopic, "will topic");
            byte[] willPayload = in.readBinary("will payload");
            will = new Will(willTopic, willPayload, Qos.of(willQos), willRetain, willProperties);
        }
        String username = hasUsername ? in.readUtf8("user name") : null;
        byte[] password = hasPassword ? in.readBinary("password") : null;
        return new Connect(connectVersion, clientId, (flags & 0x02) != 0, keepAlive, properties, will, username, password);
    }

    private Connack connack() throws MalformedPacketException {
        int acknowledgeFlags = in.readByte("connect acknowledge flags");
        if ((acknowledgeFlags & 0xFE) != 0) {
            throw malformed("CONNACK reserved acknowledge flags are set [MQTT-3.2.2-1]");
        }
        boolean sessionPresent = acknowledgeFlags == 1;
        ReasonCode reasonCode = reasonCode(PacketType.CONNACK);
        if (sessionPresent && reasonCode.isError()) {
            throw protocolError("CONNACK refuses the connection but says a session is present [MQTT-3.2.2-6]");
        }
        Properties properties = v5 ? in.readProperties(PacketType.CONNACK) : Properties.EMPTY;
        return new Connack(sessionPresent, reasonCode, properties);
    }

    private Publish publish(int flags) throws MalformedPacketException {
        Qos qos = Qos.of(flags >>> 1 & 0b11);
        String topic = in.readUtf8("topic name");
        int packetId = qos == Qos.AT_MOST_ONCE ? 0 : in.readPacketId();
        Properties properties = v5 ? in.readProperties(PacketType.PUBLISH) : Properties.EMPTY;
        if (topic.isEmpty()) {
            if (!properties.contains(Property.TOPIC_ALIAS)) {
                throw protocolError("PUBLISH has an empty topic name and no topic alias [MQTT-3.3.2-1]");
            }
        } else {
            checkTopicName(topic, "topic name");
        }
        return new Publish(topic, in.readRest(), qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, properties);
    }

    private static void checkTopicName(String topic, String what) throws MalformedPacketException {
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new MalformedPacketException(ReasonCode.TOPIC_NAME_INVALID,
                    what + " '" + topic + "' contains a wildcard character [MQTT-3.3.2-2]");
        }
        if (topic.isEmpty()) {
            throw protocolError(what + " is empty [MQTT-4.7.3-1]");
        }
    }

    /** A topic filter that breaks the wildcard or shared-subscription rules (4.7.1, 4.8.2) is malformed. */
    private static TopicFilter checkFilter(String filter) throws MalformedPacketException {
        try {
            return TopicFilter.of(filter);
        } catch (IllegalArgumentException e) {
            throw malformed("invalid topic filter: " + e.getMessage());
        }
    }

    /** PUBACK, PUBREC, PUBREL and PUBCOMP share a shape; MQTT 5 may shorten the tail (3.4.2.1). */
    private Packet publishAck(PacketType type, int remainingLength) throws MalformedPacketException {
        int packetId = in.readPacketId();
        ReasonCode reasonCode = ReasonCode.SUCCESS;
        Properties properties = Properties.EMPTY;
        if (v5) {
            if (remainingLength > 2) {
                reasonCode = reasonCode(type);
            }
            if (remainingLength > 3) {
                properties = in.readProperties(type);
            }
        }
        return switch (type) {
            case PUBACK -> new Puback(packetId, reasonCode, properties);
            case PUBREC -> new Pubrec(packetId, reasonCode, properties);
            case PUBREL -> new Pubrel(packetId, reasonCode, properties);
            default -> new Pubcomp(packetId, reasonCode, properties);
        };
    }

    private Subscribe subscribe() throws MalformedPacketException {
        int packetId = in.readPacketId();
        Properties properties = v5 ? in.readProperties(PacketType.SUBSCRIBE) : Properties.EMPTY;
        List<TopicSubscription> subscriptions = new ArrayList<>();
        while (in.hasRemaining()) {
            String filter = in.readUtf8("topic filter");
            int options = in.readByte("subscription options");
            if ((options & (v5 ? 0xC0 : 0xFC)) != 0) {
                throw malformed("SUBSCRIBE reserved option bits are set for '" + filter + "' [MQTT-3.8.3-5]");
            }
            int qos = options & 0b11;
            if (qos == 3) {
                throw malformed("SUBSCRIBE asks QoS 3 for '" + filter + "' [MQTT-3.8.3-4]");
            }
            int retainHandling = options >>> 4 & 0b11;
            if (retainHandling == 3) {
                throw protocolError("SUBSCRIBE has retain handling 3 for '" + filter + "'");
            }
            boolean noLocal = (options & 0x04) != 0;
            if (checkFilter(filter).isShared() && noLocal) {
                throw protocolError("SUBSCRIBE sets No Local on shared subscription '" + filter + "' [MQTT-3.8.3-4]");
            }
            subscriptions.add(new TopicSubscription(filter, Qos.of(qos), noLocal, (options & 0x08) != 0, retainHandling));
        }
        if (subscriptions.isEmpty()) {
            throw protocolError("SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
        }
        return new Subscribe(packetId, subscriptions, properties);
    }

    private Suback suback() throws MalformedPacketException {
        int packetId = in.readPacketId();
        Properties properties = v5 ? in.readProperties(PacketType.SUBACK) : Properties.EMPTY;
        List<ReasonCode> codes = new ArrayList<>();
        while (in.hasRemaining()) {
            codes.add(reasonCode(PacketType.SUBACK));
        }
        if (codes.isEmpty()) {
            throw protocolError("SUBACK without a reason code");
        }
        return new Suback(packetId, codes, properties);
    }

    private Unsubscribe unsubscribe() throws MalformedPacketException {
        int packetId = in.readPacketId();
        Properties properties = v5 ? in.readProperties(PacketType.UNSUBSCRIBE) : Properties.EMPTY;
        List<String> filters = new ArrayList<>();
        while (in.hasRemaining()) {
            String filter = in.readUtf8("topic filter");
            checkFilter(filter);
            filters.add(filter);
        }
        if (filters.isEmpty()) {
            throw protocolError("UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
        }
        return new Unsubscribe(packetId, filters, properties);
    }

    private Unsuback unsuback(int remainingLength) throws MalformedPacketException {
        int packetId = in.readPacketId();
        if (!v5) {
            return new Unsuback(packetId, List.of(), Properties.EMPTY);
        }
        Properties properties = in.readProperties(PacketType.UNSUBACK);
        List<ReasonCode> codes = new ArrayList<>();
        while (in.hasRemaining()) {
            codes.add(reasonCode(PacketType.UNSUBACK));
        }
        if (codes.isEmpty()) {
            throw protocolError("UNSUBACK without a reason code");
        }
        return new Unsuback(packetId, codes, properties);
    }

    /** DISCONNECT and AUTH: in MQTT 5 the reason code may be left out when it is the default. */
    private ReasonCode optionalReasonCode(PacketType type, ReasonCode absent) throws MalformedPacketException {
        return v5 && in.hasRemaining() ? reasonCode(type) : absent;
    }

    private Properties optionalProperties(PacketType type) throws MalformedPacketException {
        return v5 && in.hasRemaining() ? in.readProperties(type) : Properties.EMPTY;
    }

    private ReasonCode reasonCode(PacketType type) throws MalformedPacketException {
        int value = in.readByte("reason code");
        ReasonCode code = ReasonCodes.decode(version, type, value);
        if (code == null) {
            throw malformed(String.format("0x%02X is not a reason code %s may carry", value, type));
        }
        return code;
    }
}
