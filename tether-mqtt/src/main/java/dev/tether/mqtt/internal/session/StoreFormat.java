package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.internal.codec.PacketEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of a {@link FileStateStore} file, version 1. All integers are big-endian.
 *
 * <pre>
 * header:  magic "TETHERSS" (8) | version u16 = 1 | identifier length u16 | identifier (UTF-8)
 *          | CRC32C of all the header bytes before it, u32
 * record:  body length n u32 | CRC32C of those 4 length bytes u32 | CRC32C of the body u32 | body (n)
 * body:    kind u8 | packet identifier u16 | for SENT only: the PUBLISH as MQTT 5 bytes
 * </pre>
 *
 * <p>The length has its own checksum so that a reader can tell a record cut short by a kill (a
 * prefix of what was written: the header whole and the body short, or the header short) from a
 * damaged length in the middle of the file, which would otherwise look like a record running
 * past the end. The identifier in the header lets the store refuse a file that is not its
 * client's (renamed by hand, or a hash collision of long identifiers).
 */
final class StoreFormat {

    static final byte[] MAGIC = "TETHERSS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int RECORD_HEADER_SIZE = 12;
    /** kind and packet identifier. */
    static final int BODY_PREFIX_SIZE = 3;
    /** The largest body: the prefix and the largest PUBLISH MQTT can express. */
    static final int MAXIMUM_BODY_SIZE = BODY_PREFIX_SIZE + PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE;

    /** An outgoing QoS 1/2 PUBLISH was stored; the body carries it. */
    static final byte SENT = 1;
    /** PUBREC came for the outgoing identifier. */
    static final byte RELEASED = 2;
    /** The outgoing flow ended. */
    static final byte COMPLETED = 3;
    /** An incoming QoS 2 message was delivered. */
    static final byte INCOMING_RECEIVED = 4;
    /** PUBREL came for the incoming identifier. */
    static final byte INCOMING_RELEASED = 5;

    private StoreFormat() {
    }

    /** The file header naming its client; the identifier must be at most 65535 UTF-8 bytes. */
    static byte[] header(String clientIdentifier) {
        byte[] identifier = clientIdentifier.getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 2 + 2 + identifier.length + 4);
        header.put(MAGIC).putShort((short) VERSION).putShort((short) identifier.length).put(identifier);
        header.putInt(crc(header.array(), 0, header.position()));
        return header.array();
    }

    /** The size of the header for this identifier. */
    static int headerSize(String clientIdentifier) {
        return MAGIC.length + 2 + 2 + clientIdentifier.getBytes(StandardCharsets.UTF_8).length + 4;
    }

    /** A body without a PUBLISH: RELEASED, COMPLETED, INCOMING_RECEIVED or INCOMING_RELEASED. */
    static byte[] body(byte kind, int packetId) {
        return new byte[] {kind, (byte) (packetId >>> 8), (byte) packetId};
    }

    /** The 12 bytes that go before a body. */
    static byte[] recordHeader(byte[] body) {
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_SIZE);
        header.putInt(body.length);
        header.putInt(crc(header.array(), 0, 4));
        header.putInt(crc(body, 0, body.length));
        return header.array();
    }

    /** The size of the record holding a body of this size. */
    static long recordSize(int bodySize) {
        return RECORD_HEADER_SIZE + (long) bodySize;
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int packetId(byte[] body) {
        return (body[1] & 0xFF) << 8 | body[2] & 0xFF;
    }
}
