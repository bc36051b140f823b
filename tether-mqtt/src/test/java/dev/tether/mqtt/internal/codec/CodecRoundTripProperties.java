package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** decode(encode(p)) == p for arbitrary valid packets of every type in both protocol versions. */
class CodecRoundTripProperties {

    private static final int NO_LIMIT = PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE;

    @Property(tries = 3000)
    void everyPacketSurvivesEncodeThenDecode(@ForAll ProtocolVersion version, @ForAll PacketType type,
                                             @ForAll long seed) throws Exception {
        Assume.that(version == ProtocolVersion.V5 || type != PacketType.AUTH);
        Packet packet = new RandomPackets(new Random(seed), version).of(type);
        PacketEncoder encoder = new PacketEncoder(version);

        ByteBuffer bytes = encoder.encode(packet);
        assertEquals(encoder.size(packet), bytes.remaining(), "size() is the encoded size");

        PacketDecoder decoder = new PacketDecoder(version, NO_LIMIT);
        Packet decoded = decoder.decode(bytes);
        assertEquals(packet, decoded);
        assertFalse(bytes.hasRemaining(), "the decoder consumed the whole packet");
        assertNull(decoder.decode(bytes), "nothing follows");
    }

    @Property(tries = 500)
    void encodingIntoAGivenBufferWritesTheSameBytes(@ForAll ProtocolVersion version, @ForAll PacketType type,
                                                    @ForAll long seed) {
        Assume.that(version == ProtocolVersion.V5 || type != PacketType.AUTH);
        Packet packet = new RandomPackets(new Random(seed), version).of(type);
        PacketEncoder encoder = new PacketEncoder(version);
        ByteBuffer out = ByteBuffer.allocate(encoder.size(packet) + 3);
        out.put((byte) 7);
        encoder.encode(packet, out);
        assertEquals(encoder.size(packet) + 1, out.position());
        assertEquals(encoder.encode(packet), out.flip().position(1));
    }
}
