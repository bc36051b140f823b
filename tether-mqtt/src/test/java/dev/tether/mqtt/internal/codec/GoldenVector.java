package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * One packet exactly as it is on the wire, with where it came from.
 *
 * @param name the file it was read from, relative to the golden folder and without {@code .hex}
 *     ("v5/publish-qos2-properties", "spec/v311/connect-figure-3-6"), or a generated vector's name
 * @param version the protocol version of the connection it belongs to
 * @param source the first comment line: which tool, broker or specification section produced it
 * @param notCanonical null when our encoder writes exactly these bytes for the decoded packet;
 *     otherwise why it does not (a {@code # not canonical:} line in the file)
 * @param canonicalForm for a vector that is not canonical, the bytes our encoder writes for the
 *     same packet (a {@code # canonical form:} line); null otherwise
 */
record GoldenVector(String name, ProtocolVersion version, byte[] bytes, String source, String notCanonical,
                    byte[] canonicalForm) {

    /** A fresh heap buffer over a copy of the bytes, ready to read. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes.clone());
    }

    boolean canonical() {
        return notCanonical == null;
    }

    /** The packet type in the first byte's high nibble. */
    PacketType type() {
        return PacketType.ofValue((bytes[0] & 0xFF) >>> 4);
    }

    @Override
    public String toString() {
        return name + " (" + bytes.length + " bytes)";
    }
}
