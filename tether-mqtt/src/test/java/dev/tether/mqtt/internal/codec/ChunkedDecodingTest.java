package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tether.mqtt.ProtocolVersion;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TCP delivers a stream, not packets: a read may end anywhere in a packet, or hold several. The
 * decoder must give the same packets whatever the chunks, and must not keep references into a
 * read buffer that the caller then reuses. (Over WebSocket the same holds for frames
 * [MQTT-6.0.0-2].) Every golden vector is the reference: what it decodes to in one piece.
 */
class ChunkedDecodingTest {

    /** Two-chunk splits at every position up to this size; above it, a sample (see {@link #splitPositions}). */
    private static final int EVERY_SPLIT_UP_TO = 64 * 1024;

    /** What the bytes of a chunk are overwritten with once the decoder has had them, as a reused buffer would be. */
    private static final byte SCRIBBLE = (byte) 0xEE;

    static Stream<GoldenVector> vectors() {
        return GoldenVectors.stream();
    }

    /** How the stream test hands chunks to the decoder. */
    enum Chunks {
        /** One direct buffer, cleared and refilled for every read, as a channel reader does. */
        REUSED_DIRECT_BUFFER,
        /** A heap buffer per read that is a slice in the middle of its array (array offset 3). */
        HEAP_SLICE
    }

    static Stream<Arguments> versionsChunkSizesAndBuffers() {
        return Stream.of(ProtocolVersion.values()).flatMap(version -> IntStream.of(1, 2, 3, 7, 64).boxed()
                .flatMap(size -> Stream.of(Chunks.values()).map(chunks -> Arguments.of(version, size, chunks))));
    }

    private static PacketDecoder decoder(ProtocolVersion version) {
        return new PacketDecoder(version, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWhenSplitInTwoAtEveryPosition(GoldenVector vector) throws MalformedPacketException {
        Packet expected = GoldenVectorTest.decodeWhole(vector);
        byte[] bytes = vector.bytes();

        for (int split : splitPositions(bytes.length)) {
            PacketDecoder decoder = decoder(vector.version());
            byte[] first = Arrays.copyOfRange(bytes, 0, split);
            byte[] second = Arrays.copyOfRange(bytes, split, bytes.length);

            ByteBuffer firstChunk = ByteBuffer.wrap(first);
            Packet early = decoder.decode(firstChunk);
            if (early != null || firstChunk.hasRemaining() || !decoder.isMidPacket()) {
                fail(vector.name() + " split at " + split + ": the first chunk gave " + early + " and left "
                        + firstChunk.remaining() + " bytes");
            }
            Arrays.fill(first, SCRIBBLE); // what the decoder still needs it must have copied

            ByteBuffer secondChunk = ByteBuffer.wrap(second);
            Packet packet = decoder.decode(secondChunk);

            if (!expected.equals(packet)) {
                assertEquals(expected, packet, vector.name() + " split at " + split);
            }
            assertFalse(secondChunk.hasRemaining());
            assertFalse(decoder.isMidPacket());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWhenFedOneByteAtATime(GoldenVector vector) throws MalformedPacketException {
        Packet expected = GoldenVectorTest.decodeWhole(vector);
        byte[] bytes = vector.bytes();
        PacketDecoder decoder = decoder(vector.version());
        ByteBuffer oneByte = ByteBuffer.allocate(1); // one read buffer, overwritten for every byte

        Packet packet = null;
        for (int i = 0; i < bytes.length; i++) {
            oneByte.clear();
            oneByte.put(bytes[i]).flip();
            packet = decoder.decode(oneByte);
            if (oneByte.hasRemaining() || (packet != null) != (i == bytes.length - 1)) {
                fail(vector.name() + " at byte " + i + " of " + bytes.length + " gave " + packet);
            }
        }

        assertEquals(expected, packet);
        assertFalse(decoder.isMidPacket());
    }

    /**
     * All vectors of a version back to back, as one connection's stream, in chunks of the given
     * size. After each read the chunk's bytes are overwritten, as the next read into a reused
     * buffer would. The decoded sequence must be the sequence of packets decoded one by one.
     */
    @ParameterizedTest(name = "{0} in chunks of {1}, {2}")
    @MethodSource("versionsChunkSizesAndBuffers")
    void decodesAllVectorsOfAVersionAsOneStreamInChunks(ProtocolVersion version, int chunkSize, Chunks chunks)
            throws MalformedPacketException {
        List<GoldenVector> vectors = GoldenVectors.of(version);
        List<Packet> expected = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (GoldenVector vector : vectors) {
            expected.add(GoldenVectorTest.decodeWhole(vector));
            stream.writeBytes(vector.bytes());
        }
        byte[] bytes = stream.toByteArray();
        PacketDecoder decoder = decoder(version);
        ByteBuffer direct = ByteBuffer.allocateDirect(chunkSize);

        List<Packet> decoded = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            int length = Math.min(chunkSize, bytes.length - offset);
            byte[] array = new byte[length + 6];
            ByteBuffer chunk;
            if (chunks == Chunks.REUSED_DIRECT_BUFFER) {
                chunk = direct.clear().put(bytes, offset, length).flip();
            } else {
                System.arraycopy(bytes, offset, array, 3, length);
                chunk = ByteBuffer.wrap(array, 3, length).slice();
            }
            Packet packet;
            while ((packet = decoder.decode(chunk)) != null) {
                decoded.add(packet);
            }
            if (chunk.hasRemaining()) {
                fail("the decoder left " + chunk.remaining() + " bytes of a chunk at offset " + offset);
            }
            Arrays.fill(array, SCRIBBLE);
            direct.clear();
            while (direct.hasRemaining()) {
                direct.put(SCRIBBLE);
            }
        }

        assertFalse(decoder.isMidPacket());
        assertEquals(expected.size(), decoded.size(), "packets decoded");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), decoded.get(i), vectors.get(i).name());
        }
        assertTrue(expected.size() > 40, "the stream holds " + expected.size() + " packets");
    }

    /**
     * A large PUBLISH not whole in one read has its header gathered apart and its payload straight
     * into its own array; a header too long for that (here a 3,000-byte topic) falls back to
     * gathering the whole body. Either way, in any chunks, the packet is the one decoded whole.
     */
    @ParameterizedTest(name = "{0}, chunks of {1}")
    @MethodSource("versionsAndLargeChunkSizes")
    void decodesALargePublishInChunks(ProtocolVersion version, int chunkSize) throws MalformedPacketException {
        PacketEncoder encoder = new PacketEncoder(version);
        byte[] payload = new byte[100_000];
        new java.util.Random(11).nextBytes(payload);
        Properties properties = version == ProtocolVersion.V5
                ? Properties.builder().string(Property.CONTENT_TYPE, "application/octet-stream").userProperty("k", "v").build()
                : Properties.EMPTY;
        List<Packet> packets = List.of(
                new Publish("a/b", payload, dev.tether.mqtt.Qos.AT_LEAST_ONCE, false, false, 7, properties),
                new Publish("t".repeat(3000), payload, dev.tether.mqtt.Qos.AT_MOST_ONCE, true, false, 0, properties),
                new Publish("c", new byte[20_000], dev.tether.mqtt.Qos.EXACTLY_ONCE, false, true, 65535, Properties.EMPTY));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Packet packet : packets) {
            ByteBuffer bytes = encoder.encode(packet);
            stream.write(bytes.array(), 0, bytes.remaining());
        }
        byte[] bytes = stream.toByteArray();
        PacketDecoder decoder = decoder(version);
        List<Packet> decoded = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + chunkSize));
            ByteBuffer in = ByteBuffer.wrap(chunk);
            Packet packet;
            while ((packet = decoder.decode(in)) != null) {
                decoded.add(packet);
            }
            assertFalse(in.hasRemaining());
            Arrays.fill(chunk, SCRIBBLE);
        }
        assertFalse(decoder.isMidPacket());
        assertEquals(packets, decoded);
    }

    /**
     * The rest of a large payload read straight from the stream into the payload's array: the
     * packets are the same as decoded whole, and not a byte of the packet after it is taken.
     */
    @ParameterizedTest(name = "{0}, reads of {1}")
    @MethodSource("versionsAndLargeChunkSizes")
    void readsTheRestOfALargePayloadStraightFromTheSource(ProtocolVersion version, int readSize) throws Exception {
        PacketEncoder encoder = new PacketEncoder(version);
        byte[] payload = new byte[100_000];
        new java.util.Random(12).nextBytes(payload);
        List<Packet> packets = List.of(
                new Publish("a/b", payload, dev.tether.mqtt.Qos.AT_LEAST_ONCE, false, false, 7, Properties.EMPTY),
                new Publish("c", payload, dev.tether.mqtt.Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY),
                new Puback(7, dev.tether.mqtt.ReasonCode.SUCCESS, Properties.EMPTY));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Packet packet : packets) {
            ByteBuffer bytes = encoder.encode(packet);
            stream.write(bytes.array(), 0, bytes.remaining());
        }
        java.io.InputStream source = new java.io.ByteArrayInputStream(stream.toByteArray());
        PacketDecoder decoder = decoder(version);
        ByteBuffer buffer = ByteBuffer.allocate(4096).flip();
        List<Packet> decoded = new ArrayList<>();
        int direct = 0;
        while (decoded.size() < packets.size()) {
            Packet packet = decoder.decode(buffer);
            if (packet != null) {
                decoded.add(packet);
                continue;
            }
            if (decoder.payloadMissing() > 0) {
                int count = decoder.readPayload((bytes, offset, length) -> source.read(bytes, offset, Math.min(length, readSize)));
                assertTrue(count > 0);
                direct += count;
                continue;
            }
            buffer.compact();
            int count = source.read(buffer.array(), buffer.position(), Math.min(buffer.remaining(), readSize));
            assertTrue(count > 0, "the stream ended before all packets were decoded");
            buffer.position(buffer.position() + count).flip();
        }
        assertEquals(packets, decoded);
        assertFalse(decoder.isMidPacket());
        assertEquals(0, decoder.payloadMissing());
        assertTrue(direct > 2 * (payload.length - 4096), "only " + direct + " payload bytes read straight");
    }

    static Stream<Arguments> versionsAndLargeChunkSizes() {
        return Stream.of(ProtocolVersion.values()).flatMap(version -> IntStream.of(1, 5, 1000, 4096, 65536).boxed()
                .map(size -> Arguments.of(version, size)));
    }

    /**
     * Every position for packets up to 64 KiB. The two 2 MiB boundary packets of the remaining
     * length tables would need terabytes of copying that way, so for them: every position in the
     * first and last 64 bytes (fixed header, topic, tail) and a few inside the payload.
     */
    static List<Integer> splitPositions(int length) {
        if (length <= EVERY_SPLIT_UP_TO) {
            return IntStream.range(1, length).boxed().toList();
        }
        TreeSet<Integer> positions = new TreeSet<>();
        for (int i = 1; i <= 64; i++) {
            positions.add(i);
            positions.add(length - i);
        }
        for (int i = 1; i < 8; i++) {
            positions.add(length * i / 8);
        }
        positions.add(EVERY_SPLIT_UP_TO);
        positions.add(EVERY_SPLIT_UP_TO + 1);
        return List.copyOf(positions);
    }
}
