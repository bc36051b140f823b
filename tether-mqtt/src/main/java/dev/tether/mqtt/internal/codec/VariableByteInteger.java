package dev.tether.mqtt.internal.codec;

import java.nio.ByteBuffer;

/** MQTT's variable byte integer: seven bits a byte, least significant first, at most four bytes. */
final class VariableByteInteger {

    /** 268,435,455: the largest value four bytes can hold. */
    static final int MAXIMUM = 268_435_455;

    private VariableByteInteger() {
    }

    static int size(int value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }

    static void write(ByteBuffer out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.put((byte) (value > 0 ? digit | 0x80 : digit));
        } while (value > 0);
    }
}
