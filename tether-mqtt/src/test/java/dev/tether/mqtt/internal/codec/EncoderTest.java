package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EncoderTest {

    private final PacketEncoder v5 = new PacketEncoder(ProtocolVersion.V5);
    private final PacketEncoder v3 = new PacketEncoder(ProtocolVersion.V3_1_1);

    private static final Properties DIAGNOSTICS = Properties.builder()
            .string(Property.REASON_STRING, "the quota of this client is used up for today")
            .userProperty("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
            .build();

    @Test
    void dropsTheReasonStringFirstToFitTheMaximumPacketSize() throws Exception {
        Puback puback = new Puback(7, ReasonCode.QUOTA_EXCEEDED, DIAGNOSTICS);
        int withoutReasonString = v5.size(new Puback(7, ReasonCode.QUOTA_EXCEEDED,
                DIAGNOSTICS.without(Property.REASON_STRING)));

        Puback fitted = (Puback) v5.fit(puback, withoutReasonString);

        assertFalse(fitted.properties().contains(Property.REASON_STRING)); // [MQTT-3.4.2-2]
        assertEquals(DIAGNOSTICS.userProperties(), fitted.properties().userProperties());
        assertEquals(withoutReasonString, v5.encode(puback, withoutReasonString).remaining());
    }

    @Test
    void dropsUserPropertiesToo_whenTheReasonStringIsNotEnough() throws Exception {
        Disconnect disconnect = new Disconnect(ReasonCode.QUOTA_EXCEEDED, DIAGNOSTICS);

        ByteBuffer bytes = v5.encode(disconnect, 3); // fixed header, length, reason code

        assertEquals("e0 01 97", HexFormat.ofDelimiter(" ").formatHex(remaining(bytes))); // [MQTT-3.14.2-3, MQTT-3.14.2-4]
    }

    static Stream<Arguments> packetsWithDiagnostics() {
        return Stream.of(
                Arguments.of("PUBACK", (Function<Properties, Packet>) p -> new Puback(7, ReasonCode.QUOTA_EXCEEDED, p)),
                Arguments.of("PUBREC", (Function<Properties, Packet>) p -> new Pubrec(7, ReasonCode.QUOTA_EXCEEDED, p)),
                Arguments.of("PUBREL", (Function<Properties, Packet>) p -> new Pubrel(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p)),
                Arguments.of("PUBCOMP", (Function<Properties, Packet>) p -> new Pubcomp(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p)),
                Arguments.of("DISCONNECT", (Function<Properties, Packet>) p -> new Disconnect(ReasonCode.QUOTA_EXCEEDED, p)),
                Arguments.of("AUTH", (Function<Properties, Packet>) p -> new Auth(ReasonCode.CONTINUE_AUTHENTICATION, p)));
    }

    /** Whatever packet carries them, the reason string goes first, then the user properties, to fit the peer's maximum. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("packetsWithDiagnostics")
    @Statement(v5 = {"MQTT-3.4.2-2", "MQTT-3.4.2-3", "MQTT-3.5.2-2", "MQTT-3.5.2-3", "MQTT-3.6.2-2", "MQTT-3.6.2-3",
        "MQTT-3.7.2-2", "MQTT-3.7.2-3", "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.15.2-2", "MQTT-3.15.2-3"})
    void dropsTheReasonStringThenTheUserPropertiesOfAnyPacketThatWouldNotFit(String type, Function<Properties, Packet> make)
            throws Exception {
        Packet full = make.apply(DIAGNOSTICS);
        Packet withoutReasonString = make.apply(DIAGNOSTICS.without(Property.REASON_STRING));
        Packet bare = make.apply(Properties.EMPTY);

        assertEquals(full, v5.fit(full, v5.size(full)));
        assertEquals(withoutReasonString, v5.fit(full, v5.size(withoutReasonString)));
        assertEquals(bare, v5.fit(full, v5.size(withoutReasonString) - 1));
        assertEquals(bare, v5.fit(full, v5.size(bare)));
    }

    static Stream<Arguments> reasonCodesThePacketMayNotCarry() {
        return Stream.of(
                Arguments.of("PUBACK", new Puback(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY)),
                Arguments.of("PUBREC", new Pubrec(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY)),
                Arguments.of("PUBREL", new Pubrel(1, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY)),
                Arguments.of("PUBCOMP", new Pubcomp(1, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY)),
                Arguments.of("DISCONNECT", new Disconnect(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY)),
                Arguments.of("AUTH", new Auth(ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY)));
    }

    /** The encoder writes only the reason codes the specification defines for each packet. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reasonCodesThePacketMayNotCarry")
    @Statement(v5 = {"MQTT-3.4.2-1", "MQTT-3.5.2-1", "MQTT-3.6.2-1", "MQTT-3.7.2-1", "MQTT-3.14.2-1", "MQTT-3.15.2-1"})
    void refusesAReasonCodeEachPacketMayNotCarry(String type, Packet packet) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v5.encode(packet));

        assertTrue(e.getMessage().contains("is not a reason code ") && e.getMessage().endsWith(type + " may carry"), e.getMessage());
    }

    @Test
    @Statement(v5 = "MQTT-3.2.2-15")
    void refusesAPublishLargerThanTheMaximumInsteadOfSendingIt() {
        Publish publish = new Publish("a/b", new byte[100], Qos.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY);

        MqttException e = assertThrows(MqttException.class, () -> v5.encode(publish, 50)); // [MQTT-3.2.2-15]

        assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
        assertTrue(e.getMessage().contains("exceeds the peer's maximum packet size of 50"), e.getMessage());
    }

    @Test
    void neverDropsTheUserPropertiesOfAPublish() {
        Publish publish = new Publish("a/b", new byte[10], Qos.AT_MOST_ONCE, false, false, 0,
                Properties.builder().userProperty("k", "v".repeat(40)).build());
        assertThrows(MqttException.class, () -> v5.encode(publish, 30));
    }

    @Test
    void leavesAFittingPacketAlone() throws Exception {
        Puback puback = new Puback(7, ReasonCode.QUOTA_EXCEEDED, DIAGNOSTICS);
        assertSame(puback, v5.fit(puback, v5.size(puback)));
    }

    @Test
    void writesTheShortestFormsOfMqtt5Acknowledgements() {
        assertEquals("40 02 00 07", hex(v5.encode(new Puback(7))));
        assertEquals("40 03 00 07 10", hex(v5.encode(new Puback(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY))));
        assertEquals("e0 00", hex(v5.encode(Disconnect.NORMAL)));
        assertEquals("f0 00", hex(v5.encode(new Auth(ReasonCode.SUCCESS, Properties.EMPTY))));
    }

    @Test
    void mqtt311PacketsCarryNoProperties() {
        Publish publish = new Publish("a", new byte[0], Qos.AT_MOST_ONCE, false, false, 0,
                Properties.builder().string(Property.CONTENT_TYPE, "text/plain").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v3.encode(publish));
        assertTrue(e.getMessage().contains("carry no properties"), e.getMessage());
    }

    @Test
    void mqtt311HasNoAuthPacket() {
        assertThrows(IllegalArgumentException.class, () -> v3.encode(new Auth(ReasonCode.SUCCESS, Properties.EMPTY)));
    }

    @Test
    void refusesAReasonCodeThePacketMayNotCarry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v5.encode(new Pubrel(1, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY)));
        assertTrue(e.getMessage().contains("QUOTA_EXCEEDED (0x97) is not a reason code"), e.getMessage());
    }

    @Test
    void refusesAPropertyOfAnotherPacket() {
        Properties sessionExpiry = Properties.builder().integer(Property.SESSION_EXPIRY_INTERVAL, 60).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v5.encode(new Publish("a", new byte[0], Qos.AT_MOST_ONCE, false, false, 0, sessionExpiry)));
        assertTrue(e.getMessage().contains("Session Expiry Interval is not allowed in PUBLISH"), e.getMessage());
    }

    @Test
    void refusesAStringLongerThan65535Bytes() {
        String topic = "é".repeat(32_768); // 65,536 bytes of UTF-8
        assertThrows(IllegalArgumentException.class,
                () -> v3.encode(new Publish(topic, new byte[0], Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY)));
    }

    @Test
    @Statement(v5 = "MQTT-1.5.4-1")
    void refusesAnUnpairedSurrogate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v3.encode(new Unsubscribe(1, List.of("a\uD800"), Properties.EMPTY)));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage()); // [MQTT-1.5.4-1]
    }

    @Test
    @Statement(v5 = "MQTT-3.3.2-19")
    void refusesAContentTypeThatHasNoUtf8Encoding() {
        Properties contentType = Properties.builder().string(Property.CONTENT_TYPE, "text/\uD800").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v5.encode(new Publish("a", new byte[0], Qos.AT_MOST_ONCE, false, false, 0, contentType)));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
    }

    @Test
    void writesFourByteUtf8ForSupplementaryCharacters() {
        // The specification's example string "A𪛔" (1.5.3 in 3.1.1, 1.5.4 in 5.0).
        assertEquals("30 07 00 05 41 f0 aa 9b 94", hex(v3.encode(
                new Publish("A\uD869\uDED4", new byte[0], Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY))));
    }

    @Test
    void writesBigEndianIntoALittleEndianBufferAndLeavesItsOrder() {
        Puback puback = new Puback(0x0102);
        ByteBuffer out = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        v5.encode(puback, out);
        assertEquals("40 02 01 02", hex(out.flip()));
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, out.order());
    }

    @Test
    void passwordIsNeverShownByConnectToString() {
        Connect connect = new Connect(ProtocolVersion.V5, "c", true, 60, Properties.EMPTY, null, "user",
                "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(connect.toString().contains("s3cret"));
    }

    @Test
    void publishHeaderThenPayloadIsThePacket() {
        byte[] payload = new byte[20_000];
        new java.util.Random(3).nextBytes(payload);
        for (PacketEncoder encoder : List.of(v5, v3)) {
            Publish publish = new Publish("a/b", payload, Qos.AT_LEAST_ONCE, true, false, 42,
                    encoder == v5 ? Properties.builder().userProperty("k", "v").build() : Properties.EMPTY);
            ByteBuffer whole = encoder.encode(publish);
            ByteBuffer header = ByteBuffer.allocate(encoder.size(publish) - payload.length);
            encoder.encodePublishHeader(publish, header);
            assertFalse(header.hasRemaining());
            ByteBuffer joined = ByteBuffer.allocate(whole.remaining()).put(header.flip()).put(payload).flip();
            assertEquals(whole, joined);
        }
    }

    private static byte[] remaining(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String hex(ByteBuffer buffer) {
        return HexFormat.ofDelimiter(" ").formatHex(remaining(buffer));
    }
}
