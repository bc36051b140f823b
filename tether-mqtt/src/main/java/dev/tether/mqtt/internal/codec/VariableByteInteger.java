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

    /**
     * The complaint about a value written in more bytes than it needs, which MQTT 5 makes a
     * malformed packet [MQTT-1.5.5-1]. MQTT 3.1.1 gives the same algorithm (2.2.3) but no rule
     * that makes a longer encoding an error, so there it is accepted.
     */
    static String notMinimal(String what, int value, int bytes) {
        return what + " " + value + " is encoded in " + bytes + " bytes instead of " + size(value)
                + " [MQTT-1.5.5-1]";
    }

    static void write(ByteBuffer out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.put((byte) (value > 0 ? digit | 0x80 : digit));
        } while (value > 0);
    }
}
