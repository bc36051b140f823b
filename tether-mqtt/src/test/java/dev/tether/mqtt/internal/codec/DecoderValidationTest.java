package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.UserProperty;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per decoding rule: each starts from a valid packet, changes one thing, and expects the
 * decoder to refuse it with the reason code the specification assigns.
 */
class DecoderValidationTest {

    private static final ProtocolVersion V5 = ProtocolVersion.V5;
    private static final ProtocolVersion V3 = ProtocolVersion.V3_1_1;

    // --- fixed header ---

    @Test
    @Statement(v5 = "MQTT-2.1.3-1")
    void reservedFlagBitsOfPubackAreMalformed() throws Exception {
        assertValid(V5, "40 02 00 01");
        assertRefused(V5, "41 02 00 01", ReasonCode.MALFORMED_PACKET, "flags"); // [MQTT-2.1.3-1]
    }

    @Test
    @Statement(v311 = {"MQTT-3.6.1-1", "MQTT-3.8.1-1", "MQTT-3.10.1-1"}, v5 = "MQTT-3.6.1-1")
    void pubrelSubscribeAndUnsubscribeNeedFlags0010() throws Exception {
        assertValid(V5, "62 02 00 01");
        assertRefused(V5, "60 02 00 01", ReasonCode.MALFORMED_PACKET, "flags"); // [MQTT-3.6.1-1]
        assertRefused(V3, "80 06 00 01 00 01 61 00", ReasonCode.MALFORMED_PACKET, "flags"); // [MQTT-3.8.1-1]
        assertRefused(V3, "a0 05 00 01 00 01 61", ReasonCode.MALFORMED_PACKET, "flags"); // [MQTT-3.10.1-1]
    }

    @Test
    void reservedPacketTypeZeroIsMalformed() {
        assertRefused(V5, "00 00", ReasonCode.MALFORMED_PACKET, "reserved");
    }

    @Test
    void authIsMalformedInMqtt311() throws Exception {
        assertValid(V5, "f0 00");
        assertRefused(V3, "f0 00", ReasonCode.MALFORMED_PACKET, "reserved");
    }

    @Test
    void remainingLengthOfMoreThanFourBytesIsMalformed() {
        assertRefused(V5, "30 ff ff ff ff 01", ReasonCode.MALFORMED_PACKET, "longer than 4 bytes"); // [MQTT-1.5.5-1]
    }

    @Test
    @Statement(v5 = "MQTT-1.5.5-1")
    void mqtt5VariableByteIntegersInMoreBytesThanNeededAreMalformed() throws Exception {
        assertValid(V5, "d0 00");
        assertRefused(V5, "d0 80 00", ReasonCode.MALFORMED_PACKET, "remaining length 0 is encoded in 2 bytes instead of 1 [MQTT-1.5.5-1]");
        assertValid(V5, "30 84 01" + " 00 01 61 00" + " 00".repeat(128)); // 132 needs two bytes
        assertRefused(V5, "30 84 81 00" + " 00 01 61 00" + " 00".repeat(128), ReasonCode.MALFORMED_PACKET,
                "remaining length 132 is encoded in 3 bytes instead of 2 [MQTT-1.5.5-1]");
        assertValid(V5, "40 04 00 01 00 00");
        assertRefused(V5, "40 05 00 01 00 80 00", ReasonCode.MALFORMED_PACKET,
                "PUBACK properties length 0 is encoded in 2 bytes instead of 1 [MQTT-1.5.5-1]");
        assertValid(V5, "30 06 00 01 61 02 0b 01");
        assertRefused(V5, "30 07 00 01 61 03 0b 81 00", ReasonCode.MALFORMED_PACKET,
                "Subscription Identifier 1 is encoded in 2 bytes instead of 1 [MQTT-1.5.5-1]");
    }

    /** MQTT 3.1.1 gives the encoding algorithm (2.2.3) but no rule that makes a longer encoding an error. */
    @Test
    void mqtt311AcceptsARemainingLengthInMoreBytesThanNeeded() throws Exception {
        assertEquals(Pingresp.INSTANCE, decode(V3, "d0 80 00"));
        Publish publish = (Publish) decode(V3, "30 85 80 00 00 01 61 78 79");
        assertEquals("a", publish.topic());
        assertEquals(2, publish.payload().length);
    }

    @Test
    @Statement(v311 = "MQTT-2.2.2-2", v5 = {"MQTT-2.1.3-1", "MQTT-3.15.1-1"})
    void flagsErrorReadsAsASentence() {
        assertRefused(V5, "60 02 00 01", ReasonCode.MALFORMED_PACKET,
                "PUBREL has fixed header flags 0000, must be 0010 [MQTT-2.1.3-1]");
        assertRefused(V3, "41 02 00 01", ReasonCode.MALFORMED_PACKET,
                "PUBACK has fixed header flags 0001, must be 0000 [MQTT-2.2.2-2]");
        assertRefused(V5, "f1 00", ReasonCode.MALFORMED_PACKET, "AUTH has fixed header flags 0001, must be 0000 [MQTT-2.1.3-1]");
    }

    @Test
    void packetAboveTheMaximumSizeIsRefusedBeforeItsBodyArrives() {
        PacketDecoder decoder = new PacketDecoder(V5, 1024);
        // A PUBLISH claiming 268,435,455 bytes: refused on its length alone, nothing allocated for it.
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> decoder.decode(bytes("30 ff ff ff 7f")));
        assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
    }

    @Test
    void packetOfExactlyTheMaximumSizeIsAccepted() throws Exception {
        // 1 + 1 + 8 bytes = 10: "a/b" topic and a 3-byte payload.
        PacketDecoder decoder = new PacketDecoder(V5, 10);
        assertInstanceOf(Publish.class, decoder.decode(bytes("30 08 00 03 61 2f 62 00 78 79")));
        PacketDecoder smaller = new PacketDecoder(V5, 9);
        assertEquals(ReasonCode.PACKET_TOO_LARGE, assertThrows(MalformedPacketException.class,
                () -> smaller.decode(bytes("30 08 00 03 61 2f 62 00 78 79"))).reasonCode());
    }

    // --- PUBLISH ---

    @Test
    @Statement(v311 = "MQTT-3.3.1-4", v5 = "MQTT-3.3.1-4")
    void qos3IsMalformed() throws Exception {
        assertValid(V5, "32 08 00 01 61 00 01 00 78 79");
        assertRefused(V5, "36 08 00 01 61 00 01 00 78 79", ReasonCode.MALFORMED_PACKET, "QoS 3"); // [MQTT-3.3.1-4]
        assertValid(V3, "32 07 00 01 61 00 01 78 79");
        assertRefused(V3, "36 07 00 01 61 00 01 78 79", ReasonCode.MALFORMED_PACKET, "QoS 3");
    }

    @Test
    @Statement(v311 = "MQTT-3.3.1-2", v5 = "MQTT-3.3.1-2")
    void dupOnQos0IsMalformed() throws Exception {
        assertValid(V3, "30 05 00 01 61 78 79");
        assertRefused(V3, "38 05 00 01 61 78 79", ReasonCode.MALFORMED_PACKET, "DUP"); // [MQTT-3.3.1-2]
    }

    @Test
    @Statement(v5 = "MQTT-2.2.1-3")
    void packetIdentifierZeroIsAProtocolError() throws Exception {
        assertValid(V3, "32 05 00 01 61 00 01");
        assertRefused(V3, "32 05 00 01 61 00 00", ReasonCode.PROTOCOL_ERROR, "packet identifier 0"); // [MQTT-2.2.1-3]
        assertRefused(V5, "40 02 00 00", ReasonCode.PROTOCOL_ERROR, "packet identifier 0");
        assertRefused(V5, "82 07 00 00 00 00 01 61 00", ReasonCode.PROTOCOL_ERROR, "packet identifier 0");
    }

    @Test
    @Statement(v311 = "MQTT-3.3.2-2", v5 = "MQTT-3.3.2-2")
    void wildcardsInAPublishTopicAreRefused() throws Exception {
        assertValid(V3, "30 05 00 03 61 2f 62");
        assertRefused(V3, "30 05 00 03 61 2f 2b", ReasonCode.TOPIC_NAME_INVALID, "wildcard"); // [MQTT-3.3.2-2]
        assertRefused(V3, "30 05 00 03 61 2f 23", ReasonCode.TOPIC_NAME_INVALID, "wildcard");
    }

    @Test
    @Statement(v311 = "MQTT-3.3.2-1", v5 = "MQTT-3.3.2-1")
    void emptyTopicIsAllowedOnlyWithATopicAlias() throws Exception {
        assertValid(V5, "30 06 00 00 03 23 00 01");
        assertRefused(V5, "30 03 00 00 00", ReasonCode.PROTOCOL_ERROR, "no topic alias"); // [MQTT-3.3.2-1]
        assertRefused(V3, "30 02 00 00", ReasonCode.PROTOCOL_ERROR, "no topic alias");
    }

    @Test
    @Statement(v5 = "MQTT-3.3.2-8")
    void topicAliasZeroIsInvalid() {
        assertRefused(V5, "30 06 00 00 03 23 00 00", ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias"); // [MQTT-3.3.2-8]
    }

    // --- UTF-8 ---

    @Test
    @Statement(v311 = "MQTT-1.5.3-1")
    void illFormedUtf8IsMalformed() throws Exception {
        assertValid(V3, "30 04 00 02 c3 a9"); // "é"
        assertRefused(V3, "30 04 00 02 c3 28", ReasonCode.MALFORMED_PACKET, "UTF-8"); // [MQTT-1.5.4-1]
        assertRefused(V3, "30 04 00 02 c0 af", ReasonCode.MALFORMED_PACKET, "cannot start a character");
        assertRefused(V3, "30 05 00 03 e0 80 af", ReasonCode.MALFORMED_PACKET, "overlong");
        assertRefused(V3, "30 03 00 01 c3", ReasonCode.MALFORMED_PACKET, "cut short");
        assertRefused(V3, "30 06 00 04 f4 90 80 80", ReasonCode.MALFORMED_PACKET, "U+10FFFF");
    }

    @Test
    @Statement(v311 = "MQTT-1.5.3-1")
    void encodedSurrogatesAreMalformed() {
        assertRefused(V3, "30 05 00 03 ed a0 80", ReasonCode.MALFORMED_PACKET, "surrogate"); // [MQTT-1.5.4-1]
    }

    @Test
    @Statement(v311 = "MQTT-1.5.3-2")
    void nullCharacterIsMalformed() {
        assertRefused(V3, "30 05 00 03 61 00 62", ReasonCode.MALFORMED_PACKET, "U+0000"); // [MQTT-1.5.4-2]
    }

    @Test
    @Statement(v5 = "MQTT-1.5.7-1")
    void bothHalvesOfAUserPropertyFollowTheStringRules() throws Exception {
        assertValid(V5, "30 0b 00 01 61 07 26 00 01 6e 00 01 76");
        assertRefused(V5, "30 0b 00 01 61 07 26 00 01 00 00 01 76", ReasonCode.MALFORMED_PACKET, "User Property name");
        assertRefused(V5, "30 0c 00 01 61 08 26 00 01 6e 00 02 c3 28", ReasonCode.MALFORMED_PACKET, "User Property value");
    }

    @Test
    @Statement(v5 = "MQTT-3.3.2-19")
    void contentTypeIsWellFormedUtf8() throws Exception {
        assertValid(V5, "30 09 00 01 61 05 03 00 02 c3 a9");
        assertRefused(V5, "30 09 00 01 61 05 03 00 02 c3 28", ReasonCode.MALFORMED_PACKET, "Content Type");
    }

    // --- properties ---

    @Test
    void duplicatePropertyIsAProtocolError() throws Exception {
        // Content Type twice: "It is a Protocol Error to include the Content Type more than once" (3.3.2.3.9).
        assertValid(V5, "30 08 00 01 61 04 03 00 01 78");
        assertRefused(V5, "30 0c 00 01 61 08 03 00 01 78 03 00 01 79", ReasonCode.PROTOCOL_ERROR, "more than once");
    }

    @Test
    void userPropertiesMayRepeatAndKeepTheirOrder() throws Exception {
        Publish publish = (Publish) decode(V5, "30 12 00 01 61 0e 26 00 01 6b 00 01 32 26 00 01 6b 00 01 31");
        assertEquals(List.of(new UserProperty("k", "2"), new UserProperty("k", "1")),
                publish.properties().userProperties());
    }

    @Test
    void propertyOfAnotherPacketIsMalformed() throws Exception {
        // Session Expiry Interval (0x11) belongs to CONNECT, CONNACK and DISCONNECT, not PUBLISH.
        assertRefused(V5, "30 09 00 01 61 05 11 00 00 00 3c", ReasonCode.MALFORMED_PACKET, "not allowed in PUBLISH");
    }

    @Test
    void unknownPropertyIsMalformed() {
        assertRefused(V5, "30 06 00 01 61 02 7f 00", ReasonCode.MALFORMED_PACKET, "unknown property");
    }

    @Test
    void propertyValueOutOfRangeIsAProtocolError() throws Exception {
        assertValid(V5, "20 06 00 00 03 21 00 0a");
        assertRefused(V5, "20 06 00 00 03 21 00 00", ReasonCode.PROTOCOL_ERROR, "Receive Maximum"); // Receive Maximum 0
        assertRefused(V5, "20 05 00 00 02 24 02", ReasonCode.PROTOCOL_ERROR, "Maximum Qos"); // Maximum QoS 2
    }

    @Test
    void propertyRunningPastThePropertyLengthIsMalformed() {
        // The property length says 2, but Receive Maximum needs 3 bytes.
        assertRefused(V5, "20 06 00 00 02 21 00 0a", ReasonCode.MALFORMED_PACKET, "cut short");
    }

    // --- truncation and trailing bytes ---

    @Test
    void stringLongerThanThePacketIsMalformed() {
        assertRefused(V3, "30 04 00 05 61 62", ReasonCode.MALFORMED_PACKET, "cut short");
    }

    @Test
    void truncatedVariableByteIntegerIsMalformed() {
        // The property length's continuation bit promises another byte that the packet does not have.
        assertRefused(V5, "30 04 00 01 61 80", ReasonCode.MALFORMED_PACKET, "cut short");
    }

    @Test
    void trailingBytesAreMalformed() throws Exception {
        assertValid(V3, "d0 00");
        assertRefused(V3, "d0 01 00", ReasonCode.MALFORMED_PACKET, "after its last field");
        assertRefused(V3, "40 03 00 01 00", ReasonCode.MALFORMED_PACKET, "after its last field");
        assertRefused(V3, "e0 01 00", ReasonCode.MALFORMED_PACKET, "after its last field");
    }

    // --- reason codes ---

    @Test
    void reasonCodeThePacketMayNotCarryIsMalformed() throws Exception {
        assertValid(V5, "62 03 00 01 92");
        assertRefused(V5, "62 03 00 01 10", ReasonCode.MALFORMED_PACKET, "not a reason code PUBREL");
        assertRefused(V3, "20 02 00 06", ReasonCode.MALFORMED_PACKET, "not a reason code CONNACK");
    }

    @Test
    void mqtt311ConnackReturnCodesMapToReasonCodes() throws Exception {
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, ((Connack) decode(V3, "20 02 00 04")).reasonCode());
        assertEquals(ReasonCode.NOT_AUTHORIZED, ((Connack) decode(V3, "20 02 00 05")).reasonCode());
    }

    // --- CONNACK ---

    @Test
    void connackReservedFlagsAreMalformed() throws Exception {
        assertValid(V3, "20 02 01 00");
        assertRefused(V3, "20 02 02 00", ReasonCode.MALFORMED_PACKET, "reserved"); // [MQTT-3.2.2-1]
    }

    @Test
    void refusedConnackWithSessionPresentIsAProtocolError() {
        assertRefused(V5, "20 03 01 87 00", ReasonCode.PROTOCOL_ERROR, "session is present"); // [MQTT-3.2.2-6]
    }

    // --- SUBSCRIBE ---

    @Test
    @Statement(v5 = "MQTT-3.8.3-5")
    void subscribeOptionsReservedBitsAreMalformed() throws Exception {
        assertValid(V5, "82 07 00 01 00 00 01 61 01");
        assertRefused(V5, "82 07 00 01 00 00 01 61 41", ReasonCode.MALFORMED_PACKET, "reserved option"); // [MQTT-3.8.3-5]
        assertRefused(V3, "82 06 00 01 00 01 61 04", ReasonCode.MALFORMED_PACKET, "reserved option");
    }

    @Test
    void subscribeRetainHandling3IsAProtocolError() {
        assertRefused(V5, "82 07 00 01 00 00 01 61 30", ReasonCode.PROTOCOL_ERROR, "retain handling");
    }

    @Test
    void subscribeWithoutFiltersIsAProtocolError() {
        assertRefused(V5, "82 03 00 01 00", ReasonCode.PROTOCOL_ERROR, "without a topic filter"); // [MQTT-3.8.3-2]
    }

    @Test
    void subscribeWithAnInvalidFilterIsMalformed() {
        assertRefused(V5, "82 08 00 01 00 00 02 61 23 00", ReasonCode.MALFORMED_PACKET, "invalid topic filter"); // "a#"
    }

    @Test
    @Statement(v5 = "MQTT-3.8.3-4")
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        // "$share/g/a" with No Local set. [MQTT-3.8.3-4]
        assertRefused(V5, "82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 04", ReasonCode.PROTOCOL_ERROR, "No Local");
    }

    // --- CONNECT ---

    @Test
    @Statement(v311 = "MQTT-3.1.2-3", v5 = "MQTT-3.1.2-3")
    void connectReservedFlagIsMalformed() throws Exception {
        assertValid(V3, "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 63");
        assertRefused(V3, "10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 63", ReasonCode.MALFORMED_PACKET, "reserved"); // [MQTT-3.1.2-3]
    }

    @Test
    void willQosWithoutAWillIsMalformed() {
        assertRefused(V3, "10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 63", ReasonCode.MALFORMED_PACKET, "without a will"); // [MQTT-3.1.2-11]
    }

    @Test
    @Statement(v311 = "MQTT-3.1.2-22")
    void mqtt311PasswordWithoutUserNameIsMalformed() {
        assertRefused(V3, "10 10 00 04 4d 51 54 54 04 42 00 3c 00 01 63 00 01 70", ReasonCode.MALFORMED_PACKET,
                "password without a user name"); // [MQTT-3.1.2-22]
    }

    @Test
    void unknownProtocolIsRefusedAsUnsupported() {
        assertRefused(V3, "10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 63", ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "level 3");
        assertRefused(V3, "10 0d 00 04 4d 51 49 54 04 02 00 3c 00 01 63", ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "MQIT");
    }

    // --- the decoder as a whole ---

    @Test
    void decoderStaysFailedAfterAMalformedPacket() throws Exception {
        PacketDecoder decoder = new PacketDecoder(V5, 1024);
        MalformedPacketException first = assertThrows(MalformedPacketException.class,
                () -> decoder.decode(bytes("41 02 00 01")));
        // Even a valid PINGRESP afterwards gets the same failure: the stream is out of step for good.
        MalformedPacketException second = assertThrows(MalformedPacketException.class,
                () -> decoder.decode(bytes("d0 00")));
        assertSame(first, second);
    }

    @Test
    void decoderKeepsPartialPacketsBetweenCalls() throws Exception {
        PacketDecoder decoder = new PacketDecoder(V3, 1024);
        ByteBuffer first = bytes("30 05 00 03");
        assertEquals(null, decoder.decode(first));
        assertTrue(decoder.isMidPacket());
        Publish publish = (Publish) decoder.decode(bytes("61 2f 62"));
        assertEquals(new Publish("a/b", new byte[0], Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY), publish);
    }

    // --- helpers ---

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    private static Packet decode(ProtocolVersion version, String hex) throws MalformedPacketException {
        ByteBuffer input = bytes(hex);
        Packet packet = new PacketDecoder(version, 1 << 20).decode(input);
        assertEquals(0, input.remaining(), "the whole packet was consumed: " + hex);
        return packet;
    }

    /** The unmodified packet decodes: so the refusal below is due to the one change alone. */
    private static void assertValid(ProtocolVersion version, String hex) throws MalformedPacketException {
        assertInstanceOf(Packet.class, decode(version, hex), hex);
    }

    private static void assertRefused(ProtocolVersion version, String hex, ReasonCode expected, String messagePart) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> decode(version, hex), hex);
        assertEquals(expected, e.reasonCode(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention '" + messagePart + "'");
    }
}
