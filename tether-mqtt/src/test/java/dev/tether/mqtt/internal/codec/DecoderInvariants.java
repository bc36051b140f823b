package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The decoder's contract, checked on one input. The shared oracle of {@link DecoderFuzzTest}
 * (seeded random and mutated inputs) and {@link DecoderFuzzTargetTest} (coverage-guided by Jazzer):
 *
 * <ul>
 *   <li>a fresh decoder turns any bytes into packets, a {@link MalformedPacketException}, or a
 *       wait for more input; any other exception fails the check;
 *   <li>a failure carries one of the reason codes the decoder may give, and the decoder stays
 *       failed: later calls throw the same exception instance;
 *   <li>a {@code null} result means the chunk was used up, so a read loop cannot spin on it;
 *   <li>the outcome does not depend on how the input is split into chunks, nor on the kind of
 *       buffer a chunk arrives in (heap, read-only, direct, offset slices, either byte order);
 *   <li>every decoded packet re-encodes with the encoder of its version to exactly
 *       {@link PacketEncoder#size} bytes, and those bytes decode to an equal packet.
 * </ul>
 *
 * A violation is an {@link AssertionError} that names the version, the maximum packet size and the
 * input in hex, so it can be replayed on its own.
 */
final class DecoderInvariants {

    /** What the decoder may say is wrong with a packet (MalformedPacketException, BodyDecoder). */
    static final Set<ReasonCode> DECODER_REASON_CODES = EnumSet.of(ReasonCode.MALFORMED_PACKET,
            ReasonCode.PROTOCOL_ERROR, ReasonCode.PACKET_TOO_LARGE, ReasonCode.TOPIC_NAME_INVALID,
            ReasonCode.TOPIC_ALIAS_INVALID, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);

    private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
    private static final HexFormat HEX = HexFormat.of();

    /** The packets a byte stream held, and how the stream ended. */
    record Outcome(List<Packet> packets, MalformedPacketException failure, boolean midPacket) {
    }

    private DecoderInvariants() {
    }

    /**
     * Checks every invariant on {@code input}: decoded whole from one heap buffer, then again in
     * chunks whose sizes and buffer kinds {@code chunking} picks.
     *
     * @return the outcome of the whole-buffer decode
     * @throws AssertionError naming the input when an invariant does not hold
     */
    static Outcome check(ProtocolVersion version, int maximumPacketSize, byte[] input, Random chunking) {
        try {
            Outcome whole = decode(version, maximumPacketSize, input, null);
            Outcome chunked = decode(version, maximumPacketSize, input, chunking);
            assertEquals(whole.packets(), chunked.packets(), "the packets depend on how the input was split");
            if (whole.failure() == null) {
                assertNull(chunked.failure(), "only the chunked decode failed");
                assertEquals(whole.midPacket(), chunked.midPacket(), "mid-packet state depends on the split");
            } else {
                assertNotNull(chunked.failure(), "only the whole decode failed: " + whole.failure());
                assertEquals(whole.failure().reasonCode(), chunked.failure().reasonCode(),
                        "the reason code depends on the split");
                assertEquals(whole.failure().getMessage(), chunked.failure().getMessage(),
                        "the failure depends on the split");
            }
            for (Packet packet : whole.packets()) {
                checkRoundTrip(version, maximumPacketSize, packet);
            }
            return whole;
        } catch (Throwable broken) { // an AssertionError, or what the codec threw besides MalformedPacketException
            throw new AssertionError(version + ", maximum packet size " + maximumPacketSize + ", input ("
                    + input.length + " bytes) " + HEX.formatHex(input) + ": " + broken, broken);
        }
    }

    /**
     * Feeds {@code input} to a fresh decoder, whole when {@code chunking} is null, and checks the
     * per-call contract on the way. Exceptions other than {@link MalformedPacketException}
     * propagate to the caller.
     */
    static Outcome decode(ProtocolVersion version, int maximumPacketSize, byte[] input, Random chunking) {
        PacketDecoder decoder = new PacketDecoder(version, maximumPacketSize);
        List<Packet> packets = new ArrayList<>();
        int offset = 0;
        do {
            int length = chunking == null ? input.length : chunkLength(chunking, input.length - offset);
            ByteBuffer chunk = chunking == null ? ByteBuffer.wrap(input) : Chunks.of(input, offset, length, chunking);
            offset += length;
            while (true) {
                Packet packet;
                try {
                    packet = decoder.decode(chunk);
                } catch (MalformedPacketException failure) {
                    checkStaysFailed(decoder, failure, chunk);
                    return new Outcome(packets, failure, true);
                }
                if (packet == null) {
                    assertFalse(chunk.hasRemaining(), () -> "decode returned null with " + chunk.remaining()
                            + " bytes of its chunk unread");
                    break;
                }
                assertNotNull(packet.type(), "a packet without a type");
                packets.add(packet);
            }
        } while (offset < input.length);
        return new Outcome(packets, null, decoder.isMidPacket());
    }

    private static void checkStaysFailed(PacketDecoder decoder, MalformedPacketException failure, ByteBuffer rest) {
        assertTrue(DECODER_REASON_CODES.contains(failure.reasonCode()),
                () -> "unexpected reason code " + failure.reasonCode() + " for " + failure.getMessage());
        assertNotNull(failure.getMessage(), "a failure without a message");
        assertSame(failure, assertThrows(MalformedPacketException.class, () -> decoder.decode(rest)),
                "a failed decoder must throw the same exception again");
        assertSame(failure, assertThrows(MalformedPacketException.class, () -> decoder.decode(ByteBuffer.wrap(PINGREQ))),
                "a failed decoder must not decode anything after the failure");
        assertSame(failure, assertThrows(MalformedPacketException.class, () -> decoder.decode(ByteBuffer.allocate(0))),
                "a failed decoder must throw even without input");
    }

    /**
     * A decoded packet goes back on the wire with the encoder of the connection's version, or of
     * its own version for a CONNECT, which the decoder reads by its own protocol level.
     */
    static void checkRoundTrip(ProtocolVersion version, int maximumPacketSize, Packet packet) {
        PacketEncoder encoder = new PacketEncoder(packet instanceof Connect connect ? connect.version() : version);
        ByteBuffer encoded = encoder.encode(packet);
        int size = encoded.remaining();
        assertEquals(encoder.size(packet), size, () -> "encoded size of " + packet);
        PacketDecoder decoder = new PacketDecoder(version, maximumPacketSize);
        Packet again;
        try {
            again = decoder.decode(encoded);
        } catch (MalformedPacketException e) {
            throw new AssertionError("re-encoded " + packet + " does not decode: " + e.getMessage(), e);
        }
        assertEquals(packet, again, "re-encoded and decoded again");
        assertFalse(encoded.hasRemaining(), () -> "decoding the re-encoded packet left " + encoded.remaining() + " bytes");
        assertFalse(decoder.isMidPacket(), "decoding the re-encoded packet left the decoder mid-packet");
    }

    private static int chunkLength(Random random, int remaining) {
        if (remaining <= 1) {
            return remaining;
        }
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 1 + random.nextInt(Math.min(remaining, 4));
            default -> 1 + random.nextInt(remaining);
        };
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Puts a chunk into the kinds of buffer a transport may hand over. */
    private static final class Chunks {

        private static final int POOLED = 1 << 16;
        private static final ThreadLocal<ByteBuffer> DIRECT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(POOLED));

        private Chunks() {
        }

        static ByteBuffer of(byte[] input, int offset, int length, Random random) {
            int padding = random.nextInt(8);
            ByteBuffer chunk = switch (random.nextInt(5)) {
                case 0 -> ByteBuffer.wrap(input, offset, length).slice(); // shares the array, arrayOffset > 0
                case 1 -> padded(input, offset, length, padding, random);   // position > 0, junk past the limit
                case 2 -> padded(input, offset, length, padding, random).slice();
                case 3 -> ByteBuffer.wrap(input, offset, length).slice().asReadOnlyBuffer(); // no accessible array
                default -> direct(input, offset, length, padding);
            };
            return random.nextBoolean() ? chunk.order(ByteOrder.LITTLE_ENDIAN) : chunk;
        }

        private static ByteBuffer padded(byte[] input, int offset, int length, int padding, Random random) {
            byte[] array = new byte[padding + length + padding];
            random.nextBytes(array);
            System.arraycopy(input, offset, array, padding, length);
            return ByteBuffer.wrap(array, padding, length);
        }

        private static ByteBuffer direct(byte[] input, int offset, int length, int padding) {
            ByteBuffer direct = padding + length <= POOLED ? DIRECT.get().clear() : ByteBuffer.allocateDirect(padding + length);
            direct.position(padding);
            direct.put(input, offset, length);
            return direct.flip().position(padding);
        }
    }
}
