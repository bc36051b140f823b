package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The decoder parses a whole body in place in the caller's buffer, so the buffer's byte order
 * must not matter. Four-byte integers were read with {@link ByteBuffer#getInt(int)}, which
 * follows that order: a little-endian buffer turned Message Expiry Interval 60 into 1006632960,
 * but only when the packet arrived whole, never when it was gathered from pieces.
 */
class DecoderByteOrderTest {

    /** PUBLISH QoS 0 to "t" with Message Expiry Interval 0x01020304 and no payload. */
    private static final byte[] PUBLISH = {0x30, 0x09, 0x00, 0x01, 't', 0x05, 0x02, 0x01, 0x02, 0x03, 0x04};

    @Test
    void fourByteIntegersDecodeAlikeFromBigAndLittleEndianBuffers() throws MalformedPacketException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            PacketDecoder whole = new PacketDecoder(ProtocolVersion.V5, 4096);
            assertEquals(0x01020304L, messageExpiry(whole.decode(ByteBuffer.wrap(PUBLISH).order(order))),
                    order + ", parsed in place");

            PacketDecoder gathered = new PacketDecoder(ProtocolVersion.V5, 4096);
            assertNull(gathered.decode(ByteBuffer.wrap(PUBLISH, 0, 4).order(order)));
            assertEquals(0x01020304L, messageExpiry(gathered.decode(ByteBuffer.wrap(PUBLISH, 4, PUBLISH.length - 4)
                    .slice().order(order))), order + ", gathered from two chunks");
        }
    }

    private static long messageExpiry(Packet packet) {
        return ((Publish) packet).properties().integer(Property.MESSAGE_EXPIRY_INTERVAL, -1);
    }
}
