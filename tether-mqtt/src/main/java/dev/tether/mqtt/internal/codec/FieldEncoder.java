package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.UserProperty;
import java.nio.ByteBuffer;

/**
 * Sizes and writes the data MQTT packets are made of (MQTT 5, 1.5): UTF-8 strings, binary data
 * and MQTT 5 property sections, checking each against its limits and each property against the
 * packet it goes into. {@link PacketEncoder} puts these together into packets.
 */
final class FieldEncoder {

    private FieldEncoder() {
    }

    static long propertiesLength(Properties properties, PacketType packet) {
        long length = 0;
        long seen = 0;
        for (int i = 0; i < properties.size(); i++) {
            Properties.Entry entry = properties.get(i);
            Property property = entry.property();
            if (!property.allowedIn(packet)) {
                throw new IllegalArgumentException(property.displayName() + " is not allowed in "
                        + (packet == null ? "a will" : packet));
            }
            long bit = 1L << property.id();
            if ((seen & bit) != 0 && !property.repeatableIn(packet)) {
                throw new IllegalArgumentException(property.displayName() + " may appear only once in "
                        + (packet == null ? "a will" : packet));
            }
            seen |= bit;
            length += 1 + valueSize(property, entry.value());
        }
        return length;
    }

    private static long valueSize(Property property, Object value) {
        return switch (property.type()) {
            case BYTE -> 1;
            case TWO_BYTE_INTEGER -> 2;
            case FOUR_BYTE_INTEGER -> 4;
            case VARIABLE_BYTE_INTEGER -> VariableByteInteger.size((int) (long) (Long) value);
            case UTF8_STRING -> stringSize((String) value);
            case BINARY_DATA -> binarySize((byte[]) value);
            case UTF8_STRING_PAIR -> stringSize(((UserProperty) value).name()) + stringSize(((UserProperty) value).value());
        };
    }

    static int stringSize(String text) {
        int length = Utf8.encodedLength(text);
        if (length > Utf8.MAXIMUM_LENGTH) {
            throw new IllegalArgumentException("a string of " + length + " UTF-8 bytes exceeds MQTT's limit of 65535");
        }
        return 2 + length;
    }

    static int binarySize(byte[] data) {
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("binary data of " + data.length + " bytes exceeds MQTT's limit of 65535");
        }
        return 2 + data.length;
    }

    static void writeString(String text, ByteBuffer out) {
        out.putShort((short) Utf8.encodedLength(text));
        Utf8.write(out, text);
    }

    static void writeBinary(byte[] data, ByteBuffer out) {
        out.putShort((short) data.length);
        out.put(data);
    }

    /** Writes an MQTT 5 property section, its length prefix first. */
    static void writeProperties(Properties properties, PacketType packet, ByteBuffer out) {
        VariableByteInteger.write(out, (int) propertiesLength(properties, packet));
        for (int i = 0; i < properties.size(); i++) {
            Properties.Entry entry = properties.get(i);
            Property property = entry.property();
            out.put((byte) property.id());
            Object value = entry.value();
            switch (property.type()) {
                case BYTE -> out.put((byte) (long) (Long) value);
                case TWO_BYTE_INTEGER -> out.putShort((short) (long) (Long) value);
                case FOUR_BYTE_INTEGER -> out.putInt((int) (long) (Long) value);
                case VARIABLE_BYTE_INTEGER -> VariableByteInteger.write(out, (int) (long) (Long) value);
                case UTF8_STRING -> writeString((String) value, out);
                case BINARY_DATA -> writeBinary((byte[]) value, out);
                case UTF8_STRING_PAIR -> {
                    writeString(((UserProperty) value).name(), out);
                    writeString(((UserProperty) value).value(), out);
                }
            }
        }
    }
}
