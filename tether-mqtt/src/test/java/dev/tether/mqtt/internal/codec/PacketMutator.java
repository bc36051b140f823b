package dev.tether.mqtt.internal.codec;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes fuzz inputs from one {@link Random}: random bytes whose first byte is mostly a valid
 * fixed header, and valid packets (and streams of them) broken by bit flips, byte replacements,
 * insertions, deletions, truncations, tampered length fields and splices with other packets.
 */
final class PacketMutator {

    /** Byte values that sit on the edges of the wire format's fields. */
    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x7F, 0x80, 0x81, 0xC0, 0xFE,
            0xFF, 0x26, 0x0B, 0x23, 0x2A, 0x2B};
    private static final int[] INTERESTING_LENGTHS = {0, 1, 2, 3, 127, 128, 4090, 4091, 4092, 4093, 4094, 4095, 4096,
            16_383, 16_384, 2_097_151, 2_097_152, 268_435_455};

    private static final int[] INTERESTING_SHORTS = {0, 1, 2, 3, 127, 128, 255, 256, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};

    private final Random random;
    private final List<byte[]> seeds;

    PacketMutator(Random random, List<byte[]> seeds) {
        this.random = random;
        this.seeds = seeds;
    }

    /** Random bytes of a random length; the first byte is usually a plausible fixed header. */
    byte[] randomBytes() {
        int length = random.nextInt(4) == 0 ? random.nextInt(600) : random.nextInt(48);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0 && random.nextInt(10) < 8) {
            bytes[0] = (byte) plausibleFirstByte();
        }
        if (length > 1 && random.nextBoolean()) {
            bytes = withRemainingLengthOfTheRest(bytes);
        }
        return bytes;
    }

    /** Valid packets, alone or one after another, usually broken by one to four mutations. */
    byte[] mutatedPackets() {
        byte[] bytes = seed();
        int packets = random.nextInt(6) == 0 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < packets; i++) {
            bytes = concat(bytes, seed());
        }
        if (random.nextInt(20) == 0) {
            return bytes; // intact: the valid paths run at scale too
        }
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            bytes = mutate(bytes);
        }
        return bytes;
    }

    private byte[] seed() {
        return seeds.get(random.nextInt(seeds.size()));
    }

    private byte[] mutate(byte[] bytes) {
        if (bytes.length == 0) {
            return seed().clone();
        }
        byte[] out = bytes.clone();
        int at = random.nextInt(out.length);
        switch (random.nextInt(11)) {
            case 0, 1 -> out[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> out[at] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            case 3 -> out[at] = (byte) random.nextInt(256);
            case 4 -> {
                byte[] inserted = new byte[1 + random.nextInt(8)];
                random.nextBytes(inserted);
                out = splice(out, at, 0, inserted);
            }
            case 5 -> out = splice(out, at, Math.min(out.length - at, 1 + random.nextInt(8)), new byte[0]);
            case 6 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 7 -> out = withRemainingLength(out, tamperedLength(remainingLength(out)));
            case 8 -> {
                if (out.length >= 2) { // a two-byte length or packet identifier elsewhere in the packet
                    int value = random.nextBoolean()
                            ? INTERESTING_SHORTS[random.nextInt(INTERESTING_SHORTS.length)]
                            : random.nextInt(0x10000);
                    at = random.nextInt(out.length - 1);
                    out[at] = (byte) (value >> 8);
                    out[at + 1] = (byte) value;
                }
            }
            case 9 -> { // repeat a slice: repeated properties, subscriptions, codes
                int length = 1 + random.nextInt(Math.min(out.length - at, 16));
                out = splice(out, at, 0, Arrays.copyOfRange(out, at, at + length));
            }
            default -> { // the head of this input with the tail of another packet
                byte[] other = seed();
                int from = random.nextInt(other.length);
                out = concat(Arrays.copyOf(out, at), Arrays.copyOfRange(other, from, other.length));
            }
        }
        return out;
    }

    private int plausibleFirstByte() {
        int type = 1 + random.nextInt(15);
        if (random.nextInt(10) == 0) {
            return type << 4 | random.nextInt(16);
        }
        if (type == PacketType.PUBLISH.value()) {
            int qos = random.nextInt(3);
            boolean dup = qos > 0 && random.nextBoolean();
            return type << 4 | (dup ? 0x08 : 0) | qos << 1 | random.nextInt(2);
        }
        return type << 4 | PacketType.ofValue(type).requiredFlags();
    }

    /** The value of the remaining length field at index 1, or -1 when there is none. */
    private static int remainingLength(byte[] bytes) {
        int value = 0;
        for (int i = 1; i < bytes.length && i <= 4; i++) {
            value |= (bytes[i] & 0x7F) << 7 * (i - 1);
            if ((bytes[i] & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    private int tamperedLength(int actual) {
        return switch (random.nextInt(4)) {
            case 0 -> Math.max(0, actual + random.nextInt(7) - 3);
            case 1 -> INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)];
            case 2 -> random.nextInt(VariableByteInteger.MAXIMUM + 1);
            default -> -1; // five length bytes: not a variable byte integer at all
        };
    }

    /** Replaces the remaining length field with {@code value}, sometimes in more bytes than needed. */
    private byte[] withRemainingLength(byte[] bytes, int value) {
        int oldEnd = 1;
        while (oldEnd < bytes.length && oldEnd <= 4 && (bytes[oldEnd] & 0x80) != 0) {
            oldEnd++;
        }
        oldEnd = Math.min(oldEnd + 1, bytes.length);
        byte[] field;
        if (value < 0) {
            field = new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
        } else {
            int size = VariableByteInteger.size(value);
            int padded = random.nextInt(4) == 0 ? size + random.nextInt(5 - size) : size; // non-minimal encodings
            field = new byte[padded];
            for (int i = 0; i < padded; i++) {
                field[i] = (byte) (value >>> 7 * i & 0x7F | (i < padded - 1 ? 0x80 : 0));
            }
        }
        return splice(bytes, 1, oldEnd - 1, field);
    }

    /** Makes the remaining length match the bytes after it, so the body parser runs on them. */
    private static byte[] withRemainingLengthOfTheRest(byte[] bytes) {
        int body = bytes.length - 2;
        while (body > 0 && 1 + VariableByteInteger.size(body) + body > bytes.length) {
            body--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        out.write(bytes[0]);
        int value = body;
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        out.write(bytes, bytes.length - body, body);
        return out.toByteArray();
    }

    private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
