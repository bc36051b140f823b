package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Publish;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The write side of one connection, used under its write lock: encodes each packet into one
 * reused buffer and writes it with one write and one flush.
 *
 * <p>The buffer starts small and grows to the largest packet seen, up to 16 KiB, so an idle
 * connection keeps 256 bytes; a packet whose encoded part is larger still (huge properties, a
 * SUBSCRIBE with many filters) gets a buffer of its own. A PUBLISH payload above 8 KiB is not
 * copied at all: the header goes out from the buffer and the payload from its own array, two
 * writes and one flush.
 */
final class PacketWriter {

    private static final int BUFFER_INITIAL = 256;
    private static final int BUFFER_MAXIMUM = 16 * 1024;
    private static final int INLINE_PAYLOAD_MAXIMUM = 8 * 1024;

    private final OutputStream out;
    private final PacketEncoder encoder;
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_INITIAL);

    PacketWriter(OutputStream out, PacketEncoder encoder) {
        this.out = out;
        this.encoder = encoder;
    }

    /**
     * Writes a packet and flushes.
     *
     * @return the packet's size in bytes
     */
    int write(Packet packet) throws IOException {
        int size = encoder.size(packet);
        byte[] separatePayload = packet instanceof Publish publish && publish.payload().length > INLINE_PAYLOAD_MAXIMUM
                ? publish.payload() : null;
        int encodedSize = separatePayload == null ? size : size - separatePayload.length;
        ByteBuffer bytes = buffer(encodedSize);
        if (separatePayload == null) {
            encoder.encode(packet, bytes);
        } else {
            encoder.encodePublishHeader((Publish) packet, bytes);
        }
        out.write(bytes.array(), 0, bytes.position());
        if (separatePayload != null) {
            out.write(separatePayload);
        }
        out.flush();
        return size;
    }

    /** A cleared buffer with room for {@code size} bytes: the reused one when it is (or may grow) large enough. */
    private ByteBuffer buffer(int size) {
        if (size > BUFFER_MAXIMUM) {
            return ByteBuffer.allocate(size);
        }
        if (size > buffer.capacity()) {
            buffer = ByteBuffer.allocate(Math.min(Math.max(size, buffer.capacity() * 2), BUFFER_MAXIMUM));
        }
        return buffer.clear();
    }
}
