package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The remaining length field at the boundaries the specifications tabulate (MQTT 3.1.1, 2.2.3
 * Table 2.4; MQTT 5.0, 1.5.5 Table 1-1). Whole packets at those lengths are golden vectors
 * ({@link GoldenVectors#REMAINING_LENGTH_BOUNDARIES}); the largest value, 268,435,455, is tested
 * here on the field alone, as a packet of that size would need 256 MiB.
 */
class RemainingLengthTest {

    static Stream<Arguments> tabulatedEncodings() {
        return Stream.of(
                Arguments.of(0, "00"),
                Arguments.of(64, "40"), // 3.1.1, 2.2.3 non normative comment
                Arguments.of(127, "7f"),
                Arguments.of(128, "80 01"),
                Arguments.of(321, "c1 02"), // 3.1.1, 2.2.3 non normative comment
                Arguments.of(16_383, "ff 7f"),
                Arguments.of(16_384, "80 80 01"),
                Arguments.of(2_097_151, "ff ff 7f"),
                Arguments.of(2_097_152, "80 80 80 01"),
                Arguments.of(268_435_455, "ff ff ff 7f"));
    }

    /** [MQTT-1.5.5-1 (5.0)]: the fewest bytes, exactly as the tables print them. */
    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("tabulatedEncodings")
    @Statement(v5 = "MQTT-1.5.5-1")
    void writesEachTabulatedValueInTheFewestBytes(int value, String encoding) {
        byte[] expected = HexFormat.of().parseHex(encoding.replace(" ", ""));
        ByteBuffer out = ByteBuffer.allocate(4);

        VariableByteInteger.write(out, value);

        assertEquals(expected.length, VariableByteInteger.size(value));
        assertArrayEquals(expected, Arrays.copyOf(out.array(), out.position()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProtocolVersion.class)
    void boundaryPacketsCarryThePayloadTheirLengthLeaves(ProtocolVersion version) throws MalformedPacketException {
        int header = version == ProtocolVersion.V5 ? 4 : 3; // topic "a", and a property length in MQTT 5
        for (GoldenVectors.Boundary boundary : GoldenVectors.REMAINING_LENGTH_BOUNDARIES) {
            String folder = version == ProtocolVersion.V5 ? "v5" : "v311";
            GoldenVector vector = GoldenVectors.named("generated/" + folder + "/publish-remaining-length-"
                    + boundary.remainingLength());

            Publish publish = (Publish) GoldenVectorTest.decodeWhole(vector);

            assertEquals(1 + boundary.bytes().length + boundary.remainingLength(), vector.bytes().length);
            assertEquals(boundary.remainingLength() - header, publish.payload().length, vector.name());
            assertEquals("a", publish.topic());
        }
    }

    /**
     * 0xFF 0xFF 0xFF 0x7F is 268,435,455: the packet is 268,435,460 bytes with its header. A
     * decoder allowing one byte less must refuse it, by that size, before reading any body.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ProtocolVersion.class)
    void readsTheLargestRemainingLengthFourBytesHold(ProtocolVersion version) {
        PacketDecoder decoder = new PacketDecoder(version, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE - 1);

        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> decoder.decode(ByteBuffer.wrap(HexFormat.of().parseHex("30ffffff7f"))));

        assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
        assertTrue(e.getMessage().contains("268435460 bytes"), e.getMessage());
        assertEquals(268_435_460, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
    }

    /**
     * At most four bytes (3.1.1, 2.2.3; 5.0, 1.5.5): a continuation bit on the fourth makes the
     * packet malformed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ProtocolVersion.class)
    void refusesAFifthRemainingLengthByte(ProtocolVersion version) throws MalformedPacketException {
        PacketDecoder decoder = new PacketDecoder(version, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
        ByteBuffer input = ByteBuffer.wrap(HexFormat.of().parseHex("30ffffffff01"));

        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> decoder.decode(input));

        assertEquals(ReasonCode.MALFORMED_PACKET, e.reasonCode());
    }
}
