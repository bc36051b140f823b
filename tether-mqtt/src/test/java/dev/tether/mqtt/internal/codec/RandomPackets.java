package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes arbitrary valid packets of any type for either protocol version: every field and, in
 * MQTT 5, every property the packet may carry, with values anywhere in their legal range.
 */
final class RandomPackets {

    private static final String[] PIECES = {"", "a", "sensor", "/", "é", "中文", "😀", "𪛔", " ", "$SYS", "\u0001", "x/y"};

    private final Random random;
    private final ProtocolVersion version;
    private final boolean v5;

    RandomPackets(Random random, ProtocolVersion version) {
        this.random = random;
        this.version = version;
        this.v5 = version == ProtocolVersion.V5;
    }

    Packet of(PacketType type) {
        return switch (type) {
            case CONNECT -> connect();
            case CONNACK -> {
                ReasonCode code = reasonCode(PacketType.CONNACK);
                // A refusal never claims a session [MQTT-3.2.2-6].
                yield new Connack(!code.isError() && random.nextBoolean(), code, properties(PacketType.CONNACK));
            }
            case PUBLISH -> publish();
            case PUBACK -> new Puback(packetId(), ackReasonCode(PacketType.PUBACK), properties(PacketType.PUBACK));
            case PUBREC -> new Pubrec(packetId(), ackReasonCode(PacketType.PUBREC), properties(PacketType.PUBREC));
            case PUBREL -> new Pubrel(packetId(), ackReasonCode(PacketType.PUBREL), properties(PacketType.PUBREL));
            case PUBCOMP -> new Pubcomp(packetId(), ackReasonCode(PacketType.PUBCOMP), properties(PacketType.PUBCOMP));
            case SUBSCRIBE -> subscribe();
            case SUBACK -> new Suback(packetId(), reasonCodes(PacketType.SUBACK, 1), properties(PacketType.SUBACK));
            case UNSUBSCRIBE -> new Unsubscribe(packetId(), filters(), properties(PacketType.UNSUBSCRIBE));
            case UNSUBACK -> new Unsuback(packetId(), v5 ? reasonCodes(PacketType.UNSUBACK, 1) : List.of(),
                    properties(PacketType.UNSUBACK));
            case PINGREQ -> Pingreq.INSTANCE;
            case PINGRESP -> Pingresp.INSTANCE;
            case DISCONNECT -> new Disconnect(v5 ? reasonCode(PacketType.DISCONNECT) : ReasonCode.NORMAL_DISCONNECTION,
                    properties(PacketType.DISCONNECT));
            case AUTH -> new Auth(reasonCode(PacketType.AUTH), properties(PacketType.AUTH));
        };
    }

    private Connect connect() {
        Will will = random.nextBoolean() ? null
                : new Will(topic(), bytes(100), Qos.of(random.nextInt(3)), random.nextBoolean(), properties(null));
        String username = random.nextBoolean() ? text() : null;
        byte[] password = (username != null || v5) && random.nextBoolean() ? bytes(40) : null;
        return new Connect(version, text(), random.nextBoolean(), random.nextInt(0x10000),
                properties(PacketType.CONNECT), will, username, password);
    }

    private Publish publish() {
        Qos qos = Qos.of(random.nextInt(3));
        Properties properties = properties(PacketType.PUBLISH);
        String topic = v5 && properties.contains(Property.TOPIC_ALIAS) && random.nextBoolean() ? "" : topic();
        return new Publish(topic, bytes(300), qos, random.nextBoolean(),
                qos != Qos.AT_MOST_ONCE && random.nextBoolean(), qos == Qos.AT_MOST_ONCE ? 0 : packetId(), properties);
    }

    private Subscribe subscribe() {
        List<TopicSubscription> subscriptions = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            subscriptions.add(v5
                    ? new TopicSubscription(filter(), Qos.of(random.nextInt(3)), random.nextBoolean(),
                            random.nextBoolean(), random.nextInt(3))
                    : new TopicSubscription(filter(), Qos.of(random.nextInt(3))));
        }
        return new Subscribe(packetId(), subscriptions, properties(PacketType.SUBSCRIBE));
    }

    private List<String> filters() {
        List<String> filters = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            filters.add(filter());
        }
        return filters;
    }

    /** Any non-empty string without wildcards. */
    String topic() {
        String topic = text().replace('+', 'p').replace('#', 'h');
        return topic.isEmpty() ? "t" : topic;
    }

    private String filter() {
        return switch (random.nextInt(4)) {
            case 0 -> "#";
            case 1 -> topic() + "/+/x";
            case 2 -> topic() + "/#";
            default -> topic();
        };
    }

    /** Text built from pieces that cover one-, two-, three- and four-byte UTF-8. */
    String text() {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    byte[] bytes(int maximum) {
        byte[] bytes = new byte[random.nextInt(maximum + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    int packetId() {
        return 1 + random.nextInt(0xFFFF);
    }

    private ReasonCode reasonCode(PacketType type) {
        List<ReasonCode> legal = ReasonCodes.legal(version, type);
        return legal.get(random.nextInt(legal.size()));
    }

    private ReasonCode ackReasonCode(PacketType type) {
        return v5 ? reasonCode(type) : ReasonCode.SUCCESS;
    }

    private List<ReasonCode> reasonCodes(PacketType type, int minimum) {
        List<ReasonCode> codes = new ArrayList<>();
        int count = minimum + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            codes.add(reasonCode(type));
        }
        return codes;
    }

    /** Any legal properties for the packet (a will when {@code type} is null); none in MQTT 3.1.1. */
    Properties properties(PacketType type) {
        if (!v5 || random.nextInt(4) == 0) {
            return Properties.EMPTY;
        }
        Properties.Builder builder = Properties.builder();
        for (Property property : Property.values()) {
            if (!property.allowedIn(type) || random.nextBoolean()) {
                continue;
            }
            int count = property.repeatableIn(type) ? 1 + random.nextInt(3) : 1;
            for (int i = 0; i < count; i++) {
                addValue(builder, property);
            }
        }
        return builder.build();
    }

    private void addValue(Properties.Builder builder, Property property) {
        switch (property.type()) {
            case BYTE -> builder.integer(property, random.nextInt(2));
            case TWO_BYTE_INTEGER -> builder.integer(property, 1 + random.nextInt(0xFFFF));
            case FOUR_BYTE_INTEGER -> builder.integer(property, 1 + (random.nextLong() & 0xFFFF_FFFFL) % 0xFFFF_FFFFL);
            case VARIABLE_BYTE_INTEGER -> builder.integer(property, 1 + random.nextInt(VariableByteInteger.MAXIMUM));
            case UTF8_STRING -> builder.string(property, text());
            case BINARY_DATA -> builder.binary(property, bytes(50));
            case UTF8_STRING_PAIR -> builder.userProperty(text(), text());
        }
    }
}
