package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The decoder's design rule, tried on a million inputs a run: arbitrary bytes give packets or a
 * {@link MalformedPacketException}, never another exception, never a hang, never an allocation
 * beyond the maximum packet size. The oracle is {@link DecoderInvariants}.
 *
 * <p>The inputs come from one {@link Random} whose seed is printed in every failure; rerun with
 * {@code -Dtether.fuzz.seed=<seed>} to get the same inputs. {@code -Dtether.fuzz.inputs} and
 * {@code -Dtether.fuzz.seconds} make a longer run.
 */
class DecoderFuzzTest {

    /** Small, so that tampered lengths cross it often; one input in ten gets a smaller one still. */
    private static final int MAXIMUM_PACKET_SIZE = 4096;
    private static final int INPUTS = Integer.getInteger("tether.fuzz.inputs", 1_000_000);
    /**
     * How long the run may take before it counts as a hang. Every run decodes all of its inputs,
     * however slow the machine: a million take about 10 s on 2 cores, several times that when
     * other builds share them, so the bound is far above either.
     */
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("tether.fuzz.seconds", 300));

    @Test
    void arbitraryAndMutatedBytesDecodeToPacketsOrMalformedPacketExceptions() {
        long seed = Long.getLong("tether.fuzz.seed", System.nanoTime());
        Run run = assertTimeoutPreemptively(BUDGET, () -> fuzz(seed), () -> "seed " + seed + ": " + INPUTS
                + " inputs were not decoded within " + BUDGET.toSeconds() + " s; an input may hang the decoder"
                + " (rerun with -Dtether.fuzz.seed=" + seed + ")");
        System.out.println(run.summary(seed));
        assertEquals(INPUTS, run.inputs, () -> "seed " + seed + ": every input was decoded");
        for (ProtocolVersion version : ProtocolVersion.values()) {
            Set<PacketType> expected = EnumSet.allOf(PacketType.class);
            if (version == ProtocolVersion.V3_1_1) {
                expected.remove(PacketType.AUTH);
            }
            assertEquals(expected, run.decodedTypes.get(version).keySet(),
                    () -> "seed " + seed + ": the body parser of some " + version + " packet type was never reached");
        }
        assertTrue(run.failures.keySet().containsAll(EnumSet.of(ReasonCode.MALFORMED_PACKET, ReasonCode.PROTOCOL_ERROR,
                ReasonCode.PACKET_TOO_LARGE)), () -> "seed " + seed + ": too few kinds of failure: " + run.failures);
    }

    private static Run fuzz(long seed) {
        Random random = new Random(seed);
        Map<ProtocolVersion, PacketMutator> mutators = new EnumMap<>(ProtocolVersion.class);
        for (ProtocolVersion version : ProtocolVersion.values()) {
            List<byte[]> seeds = new ArrayList<>();
            CodecSeeds.of(version).forEach(s -> seeds.add(s.bytes()));
            mutators.put(version, new PacketMutator(random, seeds));
        }
        ProtocolVersion[] versions = ProtocolVersion.values();
        Run run = new Run();
        long start = System.nanoTime();
        while (run.inputs < INPUTS && !Thread.currentThread().isInterrupted()) { // interrupted when out of time
            ProtocolVersion version = versions[(int) (run.inputs % versions.length)];
            PacketMutator mutator = mutators.get(version);
            byte[] input = random.nextInt(10) < 3 ? mutator.randomBytes() : mutator.mutatedPackets();
            // Now and then a tiny maximum, down to the 2 bytes of a PINGREQ, to try the limit's edges.
            int maximumPacketSize = random.nextInt(10) == 0 ? 2 + random.nextInt(255) : MAXIMUM_PACKET_SIZE;
            DecoderInvariants.Outcome outcome;
            try {
                outcome = DecoderInvariants.check(version, maximumPacketSize, input, random);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " (rerun with -Dtether.fuzz.seed=" + seed + "), input #"
                        + run.inputs + ": " + e.getMessage(), e);
            }
            run.count(version, outcome);
        }
        run.nanos = System.nanoTime() - start;
        return run;
    }

    /** What a fuzz run did, to show that it reached the body parsers and the error paths. */
    private static final class Run {
        long inputs;
        long nanos;
        long packets;
        final Map<ProtocolVersion, Map<PacketType, Long>> decodedTypes = new EnumMap<>(ProtocolVersion.class);
        final Map<ReasonCode, Long> failures = new TreeMap<>();

        Run() {
            for (ProtocolVersion version : ProtocolVersion.values()) {
                decodedTypes.put(version, new EnumMap<>(PacketType.class));
            }
        }

        void count(ProtocolVersion version, DecoderInvariants.Outcome outcome) {
            inputs++;
            for (Packet packet : outcome.packets()) {
                packets++;
                decodedTypes.get(version).merge(packet.type(), 1L, Long::sum);
            }
            if (outcome.failure() != null) {
                failures.merge(outcome.failure().reasonCode(), 1L, Long::sum);
            }
        }

        String summary(long seed) {
            return String.format("decoder fuzz: %,d inputs in %.1f s (seed %d, maximum packet size %d or less): %,d packets"
                    + " decoded %s; failures %s", inputs, nanos / 1e9, seed, MAXIMUM_PACKET_SIZE, packets,
                    decodedTypes, failures);
        }
    }

    @Test
    void everySeedPacketDecodesFromItsOwnBytesInAnyChunking() {
        Random random = new Random(1);
        for (CodecSeeds.Seed seed : CodecSeeds.all()) {
            byte[] bytes = seed.bytes();
            for (int i = 0; i < 20; i++) {
                DecoderInvariants.Outcome outcome = DecoderInvariants.check(seed.version(), bytes.length, bytes, random);
                assertEquals(List.of(seed.packet()), outcome.packets(), seed.name());
                assertNull(outcome.failure(), seed.name());
                assertFalse(outcome.midPacket(), seed.name());
            }
            ByteBuffer again = new PacketEncoder(seed.version()).encode(seed.packet());
            byte[] reEncoded = new byte[again.remaining()];
            again.get(reEncoded);
            assertArrayEquals(bytes, reEncoded, seed.name());
        }
    }

    @Test
    void remainingLengthAboveTheMaximumIsRefusedAsPacketTooLargeBeforeAnyBodyArrives() {
        PacketDecoder decoder = new PacketDecoder(ProtocolVersion.V5, MAXIMUM_PACKET_SIZE);
        // PUBLISH QoS 0 claiming 268,435,455 bytes, the most four length bytes can say; no body follows.
        ByteBuffer header = ByteBuffer.wrap(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
        MalformedPacketException refused = assertThrows(MalformedPacketException.class, () -> decoder.decode(header));
        assertEquals(ReasonCode.PACKET_TOO_LARGE, refused.reasonCode());
        assertFalse(header.hasRemaining(), "refused right after the length");
        assertSame(refused, assertThrows(MalformedPacketException.class, () -> decoder.decode(ByteBuffer.allocate(1))));
    }

    @Test
    void maximumPacketSizeCountsTheFixedHeaderForEveryPacketType() throws MalformedPacketException {
        for (ProtocolVersion version : ProtocolVersion.values()) {
            for (PacketType type : PacketType.values()) {
                if (type == PacketType.AUTH && version == ProtocolVersion.V3_1_1) {
                    continue;
                }
                int firstByte = type.value() << 4 | Math.max(0, type.requiredFlags());
                // 1 + 2 + 4093 = 4096 bytes fits: the decoder waits for the body ...
                PacketDecoder fits = new PacketDecoder(version, MAXIMUM_PACKET_SIZE);
                assertNull(fits.decode(header(firstByte, MAXIMUM_PACKET_SIZE - 3)), version + " " + type);
                assertTrue(fits.isMidPacket());
                // ... and 4097 does not, whatever the type.
                PacketDecoder tooLarge = new PacketDecoder(version, MAXIMUM_PACKET_SIZE);
                MalformedPacketException e = assertThrows(MalformedPacketException.class,
                        () -> tooLarge.decode(header(firstByte, MAXIMUM_PACKET_SIZE - 2)), version + " " + type);
                assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode(), version + " " + type);
            }
        }
    }

    /**
     * A hostile peer controls the remaining length. Measured with the JVM's per-thread allocation
     * counter: a header refused as too large costs the same small amount whatever it claims, and
     * an accepted one costs the body it declared (an array header more), which the maximum packet
     * size bounds.
     */
    @Test
    void lengthHeadersCostTheDecoderAtMostTheDeclaredBodyWhichTheMaximumBounds() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        int maximum = 1 << 16;
        int[] refusedClaims = {maximum - 2, 1 << 20, 1 << 24, VariableByteInteger.MAXIMUM};
        int acceptedClaim = maximum - 4; // 1 + 3 length bytes + body = the maximum exactly
        long refusedMost = 0;
        long acceptedMost = 0;
        for (int round = 0; round < 2_000; round++) { // the first rounds warm up class loading and call sites
            boolean measured = round >= 1_990;
            for (PacketType type : PacketType.values()) {
                int firstByte = type.value() << 4 | Math.max(0, type.requiredFlags());
                for (int claim : refusedClaims) {
                    ByteBuffer header = header(firstByte, claim);
                    PacketDecoder decoder = new PacketDecoder(ProtocolVersion.V5, maximum);
                    long before = threads.getCurrentThreadAllocatedBytes();
                    try {
                        decoder.decode(header);
                    } catch (MalformedPacketException expected) {
                        // PACKET_TOO_LARGE, checked below by the allocation staying small
                    }
                    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    if (measured) {
                        refusedMost = Math.max(refusedMost, allocated);
                    }
                }
                ByteBuffer headerAndOneByte = ByteBuffer.allocate(5).put(header(firstByte, acceptedClaim)).put((byte) 0).flip();
                PacketDecoder decoder = new PacketDecoder(ProtocolVersion.V5, maximum);
                long before = threads.getCurrentThreadAllocatedBytes();
                try {
                    assertNull(decoder.decode(headerAndOneByte));
                } catch (MalformedPacketException e) {
                    throw new AssertionError(e);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (measured) {
                    acceptedMost = Math.max(acceptedMost, allocated);
                }
            }
        }
        long refused = refusedMost;
        long accepted = acceptedMost;
        System.out.printf("decoder allocation: refused header (claims up to %,d bytes) %,d bytes at most; accepted"
                + " header declaring %,d bytes %,d bytes at most; maximum packet size %,d%n",
                VariableByteInteger.MAXIMUM, refused, acceptedClaim, accepted, maximum);
        assertTrue(refused < 4096, () -> "refusing a length header allocated " + refused + " bytes");
        assertTrue(accepted <= acceptedClaim + 256, () -> "accepting a " + acceptedClaim + "-byte body allocated "
                + accepted + " bytes");
    }

    /** A fixed header: the first byte and a remaining length of {@code length}, nothing after. */
    private static ByteBuffer header(int firstByte, int length) {
        ByteBuffer header = ByteBuffer.allocate(5);
        header.put((byte) firstByte);
        VariableByteInteger.write(header, length);
        return header.flip();
    }
}
