package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes every golden vector (see {@link GoldenVectors}) and encodes it again. The captured
 * packets come from another implementation, the spec packets from the specifications' own
 * examples, so a byte-for-byte round trip checks the encoder against bytes it did not write, and
 * {@link #decodesToWhatTheVectorMeans} checks the decoder against fields written by hand.
 */
class GoldenVectorTest {

    /** "A" followed by U+2A6D4, the string of MQTT 3.1.1 Figure 1.2 and MQTT 5.0 Figure 1-2. */
    private static final String A_U2A6D4 = new StringBuilder("A").appendCodePoint(0x2A6D4).toString();

    static Stream<GoldenVector> vectors() {
        return GoldenVectors.stream();
    }

    static Packet decodeWhole(ProtocolVersion version, ByteBuffer input) throws MalformedPacketException {
        return new PacketDecoder(version, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE).decode(input);
    }

    static Packet decodeWhole(GoldenVector vector) throws MalformedPacketException {
        return decodeWhole(vector.version(), vector.buffer());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return hex(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesToExactlyOnePacketAndConsumesEveryByte(GoldenVector vector) throws MalformedPacketException {
        PacketDecoder decoder = new PacketDecoder(vector.version(), PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
        ByteBuffer input = vector.buffer();

        Packet packet = decoder.decode(input);

        assertNotNull(packet, vector.name() + " did not decode to a packet");
        assertEquals(vector.type(), packet.type());
        assertFalse(input.hasRemaining(), () -> vector.name() + " left " + input.remaining() + " bytes");
        assertFalse(decoder.isMidPacket());
        assertNull(decoder.decode(input), "a second packet out of one packet's bytes");
    }

    /**
     * The encoder writes exactly the captured and the specified bytes. Over this set of packets
     * that shows that it:
     * <ul>
     * <li>sets the reserved fixed-header flags as the tables say, 0010 for PUBREL, SUBSCRIBE and
     *     UNSUBSCRIBE [MQTT-2.2.2-1 (3.1.1), MQTT-2.1.3-1 (5.0), MQTT-3.6.1-1, MQTT-3.8.1-1,
     *     MQTT-3.10.1-1];
     * <li>writes each variable byte integer in the fewest bytes [MQTT-1.5.5-1 (5.0)];
     * <li>writes no packet identifier in a QoS 0 PUBLISH [MQTT-2.3.1-5 (3.1.1), MQTT-2.2.1-2 (5.0)]
     *     and DUP 0 there [MQTT-3.3.1-2];
     * <li>writes an empty property set as property length 0 [MQTT-2.2.2-1 (5.0)];
     * <li>writes the protocol name "MQTT" [MQTT-3.1.2-1 (5.0)], the reserved connect flag as 0
     *     [MQTT-3.1.2-3] and the CONNECT payload in its order [MQTT-3.1.3-1];
     * <li>writes the reserved subscription option bits as 0 [MQTT-3.8.3-4 (3.1.1), MQTT-3.8.3-5 (5.0)].
     * </ul>
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    @Statement(v311 = {"MQTT-2.2.2-1", "MQTT-2.3.1-5", "MQTT-3.1.2-3", "MQTT-3.1.3-1", "MQTT-3.3.1-2", "MQTT-3.6.1-1", "MQTT-3.8.1-1", "MQTT-3.8.3-4", "MQTT-3.10.1-1"},
        v5 = {"MQTT-1.5.5-1", "MQTT-2.1.3-1", "MQTT-2.2.1-2", "MQTT-2.2.2-1", "MQTT-3.1.2-1", "MQTT-3.1.2-3", "MQTT-3.1.3-1", "MQTT-3.3.1-2", "MQTT-3.6.1-1", "MQTT-3.8.1-1", "MQTT-3.8.3-5", "MQTT-3.10.1-1"})
    void reencodesToTheSameBytes(GoldenVector vector) throws MalformedPacketException {
        Packet packet = decodeWhole(vector);
        PacketEncoder encoder = new PacketEncoder(vector.version());

        ByteBuffer encoded = encoder.encode(packet);

        if (vector.canonical()) {
            assertEquals(hex(vector.bytes()), hex(encoded), vector.name());
            assertEquals(vector.bytes().length, encoder.size(packet));
        } else {
            // A legal packet our encoder writes in another, shorter form (the file says which and
            // why): the bytes differ, the packet does not.
            assertEquals(hex(vector.canonicalForm()), hex(encoded), vector.name() + ": " + vector.notCanonical());
            assertNotEquals(hex(vector.bytes()), hex(encoded));
            assertEquals(packet, decodeWhole(vector.version(), encoded), vector.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProtocolVersion.class)
    void everyPacketTypeOfTheVersionHasGoldenVectors(ProtocolVersion version) {
        Set<PacketType> expected = EnumSet.allOf(PacketType.class);
        if (version == ProtocolVersion.V3_1_1) {
            expected.remove(PacketType.AUTH);
        }
        Set<PacketType> captured = GoldenVectors.of(version).stream()
                .filter(vector -> !vector.name().startsWith("spec/") && !vector.name().startsWith("generated/"))
                .map(GoldenVector::type).collect(Collectors.toCollection(() -> EnumSet.noneOf(PacketType.class)));
        Set<PacketType> all = GoldenVectors.of(version).stream()
                .map(GoldenVector::type).collect(Collectors.toCollection(() -> EnumSet.noneOf(PacketType.class)));

        // mosquitto_pub and mosquitto_sub never send or get AUTH; the spec set has one.
        Set<PacketType> expectedCaptured = EnumSet.copyOf(expected);
        expectedCaptured.remove(PacketType.AUTH);
        assertEquals(expectedCaptured, captured);
        assertEquals(expected, all);
    }

    @Test
    void everyCapturedFileSaysWhichToolAndDirectionItCameFrom() {
        for (GoldenVector vector : GoldenVectors.all()) {
            if (vector.name().startsWith("v311/") || vector.name().startsWith("v5/")) {
                assertTrue(vector.source().startsWith("captured from mosquitto"), vector.name() + ": " + vector.source());
                assertTrue(vector.source().contains("client to broker") || vector.source().contains("broker to client"),
                        vector.name() + ": " + vector.source());
            } else if (vector.name().startsWith("spec/")) {
                assertTrue(vector.source().startsWith("from MQTT "), vector.name() + ": " + vector.source());
            }
        }
    }

    static Stream<Arguments> meanings() {
        return expectedPackets().entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
    }

    /**
     * What the vectors mean, written out by hand from the specification's figures and from the
     * command lines that produced the captures. Where the round trip above would pass with a
     * decoder and an encoder that are wrong in the same way, this does not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("meanings")
    void decodesToWhatTheVectorMeans(String name, Packet expected) throws MalformedPacketException {
        assertEquals(expected, decodeWhole(GoldenVectors.named(name)));
    }

    @Test
    void everySpecificationVectorHasItsMeaningWrittenOut() {
        List<String> missing = new ArrayList<>();
        for (GoldenVector vector : GoldenVectors.all()) {
            if (vector.name().startsWith("spec/") && !expectedPackets().containsKey(vector.name())) {
                missing.add(vector.name());
            }
        }
        assertEquals(List.of(), missing);
    }

    /** [MQTT-1.5.3-1 (3.1.1), MQTT-1.5.4-1 (5.0)]: four UTF-8 bytes outside the BMP are one code point. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-1.5.3-1", v5 = "MQTT-1.5.4-1")
    void readsTheSupplementaryCharacterOfFigure12AsOneCodePoint(ProtocolVersion version) throws MalformedPacketException {
        String folder = version == ProtocolVersion.V5 ? "spec/v5/" : "spec/v311/";
        Publish publish = (Publish) decodeWhole(GoldenVectors.named(folder + "publish-utf8-figure-1-2"));

        assertEquals(2, publish.topic().codePointCount(0, publish.topic().length()));
        assertEquals(0x2A6D4, publish.topic().codePointAt(1));
        assertEquals(5, publish.topic().getBytes(StandardCharsets.UTF_8).length);
    }

    /** [MQTT-1.5.3-3 (3.1.1), MQTT-1.5.4-3 (5.0)]: EF BB BF is U+FEFF and stays in the string. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-1.5.3-3", v5 = "MQTT-1.5.4-3")
    void keepsAZeroWidthNoBreakSpaceAtTheStartOfATopic(ProtocolVersion version) throws MalformedPacketException {
        String folder = version == ProtocolVersion.V5 ? "spec/v5/" : "spec/v311/";
        Publish publish = (Publish) decodeWhole(GoldenVectors.named(folder + "publish-utf8-bom"));

        assertEquals("\uFEFFa/b", publish.topic());
    }

    private static Map<String, Packet> expected;

    private static synchronized Map<String, Packet> expectedPackets() {
        if (expected != null) {
            return expected;
        }
        Map<String, Packet> map = new LinkedHashMap<>();
        Properties none = Properties.EMPTY;

        // --- MQTT 3.1.1 specification examples
        // [MQTT-3.1.3-1]: client identifier, will topic, will message, user name, password, in that order
        map.put("spec/v311/connect-figure-3-6", new Connect(ProtocolVersion.V3_1_1, "tether", true, 10, none,
                new Will("a/b", bytes("bye"), Qos.AT_LEAST_ONCE, false, none), "user", bytes("pass")));
        map.put("spec/v311/publish-table-3-3", new Publish("a/b", new byte[0], Qos.AT_LEAST_ONCE, false, false, 10, none));
        map.put("spec/v311/publish-utf8-figure-1-2", qos0(A_U2A6D4, new byte[0]));
        map.put("spec/v311/publish-utf8-bom", qos0("\uFEFFa/b", new byte[0]));
        map.put("spec/v311/subscribe-figure-3-21-3-23", new Subscribe(10, List.of(
                new TopicSubscription("a/b", Qos.AT_LEAST_ONCE), new TopicSubscription("c/d", Qos.EXACTLY_ONCE)), none));
        map.put("spec/v311/suback-figure-3-27", new Suback(10, List.of(
                ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR), none));
        map.put("spec/v311/unsubscribe-figure-3-30", new Unsubscribe(10, List.of("a/b", "c/d"), none));
        // return code 5 of Table 3.1 is the MQTT 5 reason code of the same meaning
        map.put("spec/v311/connack-table-3-1-not-authorized", new Connack(false, ReasonCode.NOT_AUTHORIZED, none));
        map.put("spec/v311/publish-remaining-length-64", qos0("a", counting(61)));
        map.put("spec/v311/publish-remaining-length-321", qos0("a", counting(318)));

        // --- MQTT 5.0 specification examples
        map.put("spec/v5/connect-figure-3-6", new Connect(ProtocolVersion.V5, "tether", true, 10,
                Properties.builder().integer(Property.SESSION_EXPIRY_INTERVAL, 10).build(),
                new Will("a/b", bytes("bye"), Qos.AT_LEAST_ONCE, false, none), "user", bytes("pass")));
        map.put("spec/v5/publish-figure-3-9", new Publish("a/b", new byte[0], Qos.AT_LEAST_ONCE, false, false, 10, none));
        map.put("spec/v5/publish-utf8-figure-1-2", qos0(A_U2A6D4, new byte[0]));
        map.put("spec/v5/publish-utf8-bom", qos0("\uFEFFa/b", new byte[0]));
        // [MQTT-1.5.7-1]: both strings of a pair are UTF-8 strings; a name may repeat and order is kept
        map.put("spec/v5/publish-user-property-string-pairs", new Publish("a/b", new byte[0], Qos.AT_MOST_ONCE, false, false, 0,
                Properties.builder().userProperty("name", A_U2A6D4).userProperty("name", "").build()));
        map.put("spec/v5/publish-property-length-two-bytes", new Publish("a/b", new byte[0], Qos.AT_MOST_ONCE, false, false, 0,
                Properties.builder().binary(Property.CORRELATION_DATA, counting(125)).build()));
        map.put("spec/v5/subscribe-figure-3-19-3-21", new Subscribe(10, List.of(
                new TopicSubscription("a/b", Qos.AT_LEAST_ONCE), new TopicSubscription("c/d", Qos.EXACTLY_ONCE)), none));
        map.put("spec/v5/subscribe-options-figure-3-20", new Subscribe(10, List.of(
                new TopicSubscription("a/b", Qos.EXACTLY_ONCE, true, true, 2),
                new TopicSubscription("c/d", Qos.AT_MOST_ONCE, false, false, 1)), none));
        map.put("spec/v5/unsubscribe-figure-3-30", new Unsubscribe(10, List.of("a/b", "c/d"), none));
        map.put("spec/v5/disconnect-figure-3-24", new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
                Properties.builder().integer(Property.SESSION_EXPIRY_INTERVAL, 0).build()));
        map.put("spec/v5/connack-table-3-1-not-authorized", new Connack(false, ReasonCode.NOT_AUTHORIZED, none));
        map.put("spec/v5/puback-reason-string-user-property", new Puback(10, ReasonCode.NOT_AUTHORIZED,
                Properties.builder().string(Property.REASON_STRING, "denied").userProperty("k", "v").build()));
        map.put("spec/v5/pubrel-packet-identifier-not-found", new Pubrel(10, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, none));
        map.put("spec/v5/puback-success-reason-code-present", new Puback(10));
        map.put("spec/v5/pubrec-property-length-zero-present", new Pubrec(10, ReasonCode.NO_MATCHING_SUBSCRIBERS, none));
        map.put("spec/v5/disconnect-reason-code-present", Disconnect.NORMAL);
        map.put("spec/v5/connect-password-without-user-name", new Connect(ProtocolVersion.V5, "tether", true, 60, none,
                null, null, bytes("pass")));
        map.put("spec/v5/auth-continue-authentication", new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.builder()
                .string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .binary(Property.AUTHENTICATION_DATA, HexFormat.of().parseHex("deadbeef")).build()));

        // --- captured, MQTT 3.1.1: what the command lines asked for
        map.put("v311/connect-will-credentials", new Connect(ProtocolVersion.V3_1_1, "golden-full", true, 30, none,
                new Will("golden/will", bytes("gone"), Qos.AT_LEAST_ONCE, true, none), "user", bytes("secret")));
        map.put("v311/connect-persistent-session", new Connect(ProtocolVersion.V3_1_1, "golden-persist-v3", false, 60, none,
                null, null, null));
        map.put("v311/connack-session-present", new Connack(true, ReasonCode.SUCCESS, none));
        map.put("v311/publish-qos0", qos0("golden/qos0", bytes("hello")));
        map.put("v311/publish-qos2-retained", new Publish("golden/retained/q2", bytes("two"), Qos.EXACTLY_ONCE, true, false, 1,
                none));
        map.put("v311/publish-qos0-retained-empty-payload", new Publish("golden/retained/q1", new byte[0],
                Qos.AT_MOST_ONCE, true, false, 0, none));
        map.put("v311/pubrel", new Pubrel(1, ReasonCode.SUCCESS, none));
        map.put("v311/subscribe-three-filters-qos0", new Subscribe(1, List.of(
                new TopicSubscription("golden/a", Qos.AT_MOST_ONCE), new TopicSubscription("golden/+/b", Qos.AT_MOST_ONCE),
                new TopicSubscription("golden/#", Qos.AT_MOST_ONCE)), none));
        map.put("v311/suback-granted-qos2", new Suback(1, List.of(ReasonCode.GRANTED_QOS_2), none));
        map.put("v311/unsubscribe-wildcard-filter", new Unsubscribe(3, List.of("golden/+/b"), none));
        map.put("v311/unsuback", new Unsuback(2, List.of(), none));
        map.put("v311/pingreq", Pingreq.INSTANCE);
        map.put("v311/pingresp", Pingresp.INSTANCE);
        map.put("v311/disconnect", Disconnect.NORMAL);

        // --- captured, MQTT 5.0
        map.put("v5/connect-will-credentials-properties", new Connect(ProtocolVersion.V5, "golden-full", true, 30,
                Properties.builder().integer(Property.SESSION_EXPIRY_INTERVAL, 60).integer(Property.RECEIVE_MAXIMUM, 10)
                        .userProperty("client", "tether").build(),
                new Will("golden/will", bytes("gone"), Qos.AT_LEAST_ONCE, true, Properties.builder()
                        .integer(Property.WILL_DELAY_INTERVAL, 5).string(Property.CONTENT_TYPE, "text/plain").build()),
                "user", bytes("secret")));
        map.put("v5/connect-persistent-session", new Connect(ProtocolVersion.V5, "golden-persist-v5", false, 60,
                Properties.builder().integer(Property.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                        .integer(Property.RECEIVE_MAXIMUM, 20).build(), null, null, null));
        map.put("v5/connect-authentication-method", new Connect(ProtocolVersion.V5, "golden-auth", true, 60,
                Properties.builder().string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                        .integer(Property.RECEIVE_MAXIMUM, 20).build(), null, null, null));
        map.put("v5/connack-bad-authentication-method", new Connack(false, ReasonCode.BAD_AUTHENTICATION_METHOD, none));
        map.put("v5/connack-properties", new Connack(false, ReasonCode.SUCCESS, Properties.builder()
                .integer(Property.TOPIC_ALIAS_MAXIMUM, 10).integer(Property.RECEIVE_MAXIMUM, 20).build()));
        map.put("v5/publish-qos2-properties", new Publish("golden/props", bytes("{\"a\":1}"), Qos.EXACTLY_ONCE, false, false, 1,
                Properties.builder().userProperty("k", "v").string(Property.CONTENT_TYPE, "application/json")
                        .integer(Property.MESSAGE_EXPIRY_INTERVAL, 60).string(Property.RESPONSE_TOPIC, "golden/reply")
                        .binary(Property.CORRELATION_DATA, bytes("c0ffee")).integer(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                        .build()));
        map.put("v5/publish-qos1-topic-alias", new Publish("golden/alias", bytes("aliased"), Qos.AT_LEAST_ONCE, false, false, 1,
                Properties.builder().integer(Property.TOPIC_ALIAS, 1).build()));
        // 3.3.2.3.4: a zero length topic name with a topic alias stands for the topic the alias maps to
        map.put("v5/publish-qos0-topic-alias-empty-topic", new Publish("", bytes("again"), Qos.AT_MOST_ONCE, false, false, 0,
                Properties.builder().integer(Property.TOPIC_ALIAS, 2).build()));
        map.put("v5/publish-qos2-subscription-identifier", new Publish("golden/retained/q2", bytes("two"), Qos.EXACTLY_ONCE,
                true, false, 1, Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, 7).build()));
        map.put("v5/puback-no-matching-subscribers", new Puback(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, none));
        map.put("v5/puback-success", new Puback(1));
        map.put("v5/subscribe-qos2-retain-as-published-subscription-identifier", new Subscribe(1,
                List.of(new TopicSubscription("golden/retained/q2", Qos.EXACTLY_ONCE, false, true, 0)),
                Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, 7).build()));
        map.put("v5/subscribe-three-filters-user-property", new Subscribe(1, List.of(
                new TopicSubscription("golden/a", Qos.AT_MOST_ONCE), new TopicSubscription("golden/+/b", Qos.AT_MOST_ONCE),
                new TopicSubscription("golden/#", Qos.AT_MOST_ONCE)), Properties.builder().userProperty("s", "1").build()));
        map.put("v5/suback-three-granted-qos0", new Suback(1, List.of(
                ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_0), none));
        map.put("v5/unsubscribe-user-property", new Unsubscribe(3, List.of("golden/+/b"),
                Properties.builder().userProperty("u", "2").build()));
        map.put("v5/unsuback-no-subscription-existed", new Unsuback(2, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), none));
        map.put("v5/disconnect", Disconnect.NORMAL);
        map.put("v5/disconnect-properties", new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.builder()
                .integer(Property.SESSION_EXPIRY_INTERVAL, 0).string(Property.REASON_STRING, "done").build()));
        map.put("v5/disconnect-topic-alias-invalid-from-broker", new Disconnect(ReasonCode.TOPIC_ALIAS_INVALID, none));
        map.put("v5/disconnect-with-will-message", new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, none));
        expected = map;
        return map;
    }

    /** A QoS 0 PUBLISH without RETAIN, DUP or properties. */
    private static Publish qos0(String topic, byte[] payload) {
        return new Publish(topic, payload, Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes 0, 1, 2, ... modulo 256: the payloads of the spec files built that way. */
    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
