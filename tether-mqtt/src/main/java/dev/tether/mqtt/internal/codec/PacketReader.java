package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.internal.codec.MalformedPacketException.malformed;
import static dev.tether.mqtt.internal.codec.MalformedPacketException.protocolError;

import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.UserProperty;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads the data types of MQTT (1.5 of both specifications) from one packet's body, by absolute
 * index so the decoder can parse a body in place in its input buffer. Every read checks the
 * body's end first: a string, varint or property cut short is a malformed packet, never an
 * index exception. One instance is reused for every packet of a connection.
 */
final class PacketReader {

    private ByteBuffer buffer;
    private int position;
    private int limit;

    /** A PUBLISH payload gathered apart from its header, handed out by {@link #readRest()} as it is; or null. */
    private byte[] rest;

    void reset(ByteBuffer buffer, int position, int limit) {
        this.buffer = buffer;
        this.position = position;
        this.limit = limit;
        this.rest = null;
    }

    /** Reads a PUBLISH whose header is in {@code buffer} and whose payload, {@code rest}, was gathered on its own. */
    void reset(ByteBuffer buffer, int position, int limit, byte[] rest) {
        reset(buffer, position, limit);
        this.rest = rest;
    }

    int remaining() {
        return limit - position;
    }

    boolean hasRemaining() {
        return position < limit;
    }

    /** Names of the property sections, made once: a description is built on failure only, never per packet. */
    private static final Map<PacketType, String> SECTIONS = new EnumMap<>(PacketType.class);
    private static final String WILL_SECTION = "will properties";

    static {
        for (PacketType type : PacketType.values()) {
            SECTIONS.put(type, type + " properties");
        }
    }

    private void require(int bytes, String what) throws MalformedPacketException {
        require(bytes, what, "");
    }

    private void require(int bytes, String what, String suffix) throws MalformedPacketException {
        if (limit - position < bytes) {
            throw malformed(what + suffix + " is cut short: needs " + bytes + " bytes, " + (limit - position) + " left");
        }
    }

    int readByte(String what) throws MalformedPacketException {
        require(1, what);
        return buffer.get(position++) & 0xFF;
    }

    int readTwoByteInteger(String what) throws MalformedPacketException {
        return readTwoByteInteger(what, "");
    }

    private int readTwoByteInteger(String what, String suffix) throws MalformedPacketException {
        require(2, what, suffix);
        int value = (buffer.get(position) & 0xFF) << 8 | buffer.get(position + 1) & 0xFF;
        position += 2;
        return value;
    }

    long readFourByteInteger(String what) throws MalformedPacketException {
        require(4, what);
        // Byte by byte, as readTwoByteInteger does: the buffer may be the caller's, in either byte
        // order, and ByteBuffer.getInt would read a little-endian one backwards.
        long value = (buffer.get(position) & 0xFFL) << 24 | (buffer.get(position + 1) & 0xFF) << 16
                | (buffer.get(position + 2) & 0xFF) << 8 | buffer.get(position + 3) & 0xFF;
        position += 4;
        return value;
    }

    /** A packet identifier, which is never 0 where one is present [MQTT-2.2.1-3]. */
    int readPacketId() throws MalformedPacketException {
        int packetId = readTwoByteInteger("packet identifier");
        if (packetId == 0) {
            throw protocolError("packet identifier 0 is not allowed [MQTT-2.2.1-3]");
        }
        return packetId;
    }

    int readVariableByteInteger(String what) throws MalformedPacketException {
        return readVariableByteInteger(what, "");
    }

    private int readVariableByteInteger(String what, String suffix) throws MalformedPacketException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            require(1, what, suffix);
            int digit = buffer.get(position++) & 0xFF;
            value |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                if (digit == 0 && shift > 0) {
                    // Only MQTT 5 has variable byte integers inside a body, and it wants them minimal.
                    throw malformed(VariableByteInteger.notMinimal(what + suffix, value, shift / 7 + 1));
                }
                return value;
            }
        }
        throw malformed(what + suffix + " is a variable byte integer longer than 4 bytes (MQTT 5, 1.5.5)");
    }

    String readUtf8(String what) throws MalformedPacketException {
        return readUtf8(what, "");
    }

    private String readUtf8(String what, String suffix) throws MalformedPacketException {
        int length = readTwoByteInteger(what + suffix, " length");
        require(length, what, suffix);
        String problem = Utf8.check(buffer, position, length);
        if (problem != null) {
            throw malformed(what + suffix + " " + problem);
        }
        String text;
        if (buffer.hasArray()) {
            text = new String(buffer.array(), buffer.arrayOffset() + position, length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(position, bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        position += length;
        return text;
    }

    byte[] readBinary(String what) throws MalformedPacketException {
        int length = readTwoByteInteger(what, " length");
        return readBytes(length, what);
    }

    /** Everything left in the body: a PUBLISH payload. */
    byte[] readRest() {
        if (rest != null) {
            if (position != limit) {
                throw new IllegalStateException("PUBLISH header mis-measured: " + (limit - position) + " bytes left before the payload");
            }
            byte[] payload = rest;
            rest = null;
            return payload;
        }
        byte[] bytes = new byte[limit - position];
        buffer.get(position, bytes);
        position = limit;
        return bytes;
    }

    private byte[] readBytes(int length, String what) throws MalformedPacketException {
        require(length, what);
        byte[] bytes = new byte[length];
        buffer.get(position, bytes);
        position += length;
        return bytes;
    }

    /** The body must end here: bytes after the last field make the packet malformed. */
    void expectEnd(PacketType packet) throws MalformedPacketException {
        if (position != limit) {
            throw malformed(packet + " has " + (limit - position) + " bytes after its last field");
        }
    }

    /**
     * Reads a property length and the properties it covers, for {@code packet}, or for a will
     * when {@code packet} is null. Unknown properties and properties of another packet are
     * malformed (2.2.2.2); a repeated property that may not repeat is a protocol error.
     */
    Properties readProperties(PacketType packet) throws MalformedPacketException {
        String where = packet == null ? WILL_SECTION : SECTIONS.get(packet);
        int length = readVariableByteInteger(where, " length");
        if (length == 0) {
            return Properties.EMPTY;
        }
        require(length, where);
        int end = position + length;
        int outerLimit = limit;
        limit = end; // a property value may not run past the property length
        Properties.Builder properties = Properties.builder();
        long seen = 0;
        while (position < end) {
            int id = readVariableByteInteger("property identifier");
            Property property = Property.ofId(id);
            if (property == null) {
                throw malformed(String.format("unknown property identifier 0x%02X in %s", id, where));
            }
            if (!property.allowedIn(packet)) {
                throw malformed(property.displayName() + " is not allowed in " + where);
            }
            long bit = 1L << property.id();
            if ((seen & bit) != 0 && !property.repeatableIn(packet)) {
                throw protocolError(property.displayName() + " appears more than once in " + where);
            }
            seen |= bit;
            properties.add(property, readValue(property));
        }
        limit = outerLimit;
        return properties.build();
    }

    private Object readValue(Property property) throws MalformedPacketException {
        String what = property.displayName();
        return switch (property.type()) {
            case BYTE -> checked(property, readByte(what));
            case TWO_BYTE_INTEGER -> checked(property, readTwoByteInteger(what));
            case FOUR_BYTE_INTEGER -> checked(property, readFourByteInteger(what));
            case VARIABLE_BYTE_INTEGER -> checked(property, readVariableByteInteger(what));
            case UTF8_STRING -> readUtf8(what);
            case BINARY_DATA -> readBinary(what);
            case UTF8_STRING_PAIR -> new UserProperty(readUtf8(what, " name"), readUtf8(what, " value"));
        };
    }

    private static Long checked(Property property, long value) throws MalformedPacketException {
        ReasonCode problem = property.checkValue(value);
        if (problem != null) {
            throw new MalformedPacketException(problem, property.displayName() + " may not be " + value);
        }
        return value;
    }
}
