package dev.tether.mqtt.internal.codec;

import java.nio.ByteBuffer;

/**
 * MQTT's UTF-8 strings (MQTT 5, 1.5.4; 3.1.1, 1.5.3) written and checked without intermediate
 * arrays: well-formed UTF-8 only, no encoded surrogates, no U+0000, at most 65,535 bytes.
 */
final class Utf8 {

    static final int MAXIMUM_LENGTH = 0xFFFF;

    private Utf8() {
    }

    /**
     * The number of bytes {@code text} takes in UTF-8.
     *
     * @throws IllegalArgumentException if it holds an unpaired surrogate, which has no UTF-8 form [MQTT-1.5.4-1]
     */
    static int encodedLength(String text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2; // four bytes for the pair of two chars
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new IllegalArgumentException("string holds an unpaired surrogate at index " + i
                            + ", which UTF-8 cannot encode [MQTT-1.5.4-1]");
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Writes {@code text} as UTF-8; {@link #encodedLength} has already vetted it. */
    static void write(ByteBuffer out, String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | c >> 6));
                out.put((byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out.put((byte) (0xF0 | codePoint >> 18));
                out.put((byte) (0x80 | codePoint >> 12 & 0x3F));
                out.put((byte) (0x80 | codePoint >> 6 & 0x3F));
                out.put((byte) (0x80 | codePoint & 0x3F));
            } else {
                out.put((byte) (0xE0 | c >> 12));
                out.put((byte) (0x80 | c >> 6 & 0x3F));
                out.put((byte) (0x80 | c & 0x3F));
            }
        }
    }

    /**
     * Why {@code length} bytes at {@code offset} are not an MQTT UTF-8 string, or null when they are:
     * ill-formed sequences, overlong forms, encoded surrogates and code points above U+10FFFF
     * [MQTT-1.5.4-1], and U+0000 [MQTT-1.5.4-2].
     */
    static String check(ByteBuffer in, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = in.get(i) & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return "contains U+0000 [MQTT-1.5.4-2]";
                }
                i++;
                continue;
            }
            int extra;
            int minimum;
            int codePoint;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                minimum = 0x80;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                minimum = 0x800;
                codePoint = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                minimum = 0x10000;
                codePoint = b & 0x07;
            } else {
                return "is not well-formed UTF-8: byte 0x" + Integer.toHexString(b) + " cannot start a character [MQTT-1.5.4-1]";
            }
            if (i + extra >= end) {
                return "is not well-formed UTF-8: a character is cut short [MQTT-1.5.4-1]";
            }
            for (int k = 1; k <= extra; k++) {
                int continuation = in.get(i + k) & 0xFF;
                if ((continuation & 0xC0) != 0x80) {
                    return "is not well-formed UTF-8: missing continuation byte [MQTT-1.5.4-1]";
                }
                codePoint = codePoint << 6 | continuation & 0x3F;
            }
            if (codePoint < minimum) {
                return "is not well-formed UTF-8: overlong encoding [MQTT-1.5.4-1]";
            }
            if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
                return "encodes a UTF-16 surrogate, which is not allowed [MQTT-1.5.4-1]";
            }
            if (codePoint > 0x10FFFF) {
                return "encodes a code point above U+10FFFF [MQTT-1.5.4-1]";
            }
            i += extra + 1;
        }
        return null;
    }
}
