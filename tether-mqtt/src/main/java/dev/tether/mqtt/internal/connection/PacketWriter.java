package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Publish;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The write side of one connection, used under its write lock: packets are encoded into one
 * buffer and written together when {@link #flush()} is called. The connection flushes after each
 * packet unless another thread is already waiting for the lock, which then writes its packet
 * together with this one: packets sent at the same moment from several threads (a PUBLISH and the
 * PUBREL the reader sends, a PUBACK and a PUBCOMP) cost one write instead of one each, and a
 * packet sent alone goes out at once, as before.
 *
 * <p>The buffer is reused, not made per packet. It starts small and grows to the largest packet
 * seen, up to 16 KiB, so an idle connection keeps 256 bytes; a packet whose encoded part is larger
 * still (huge properties, a SUBSCRIBE with many filters) gets a buffer of its own. A PUBLISH
 * payload above 8 KiB is not copied at all: what is buffered goes out, then the payload from its
 * own array.
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
     * Encodes a packet after the ones waiting; a large payload, and the packets before it, are
     * written at once.
     *
     * @return the packet's size in bytes
     */
    int append(Packet packet) throws IOException {
        int size = encoder.size(packet);
        byte[] separatePayload = packet instanceof Publish publish && publish.payload().length > INLINE_PAYLOAD_MAXIMUM
                ? publish.payload() : null;
        int encodedSize = separatePayload == null ? size : size - separatePayload.length;
        if (encodedSize > BUFFER_MAXIMUM) {
            flush();
            ByteBuffer own = ByteBuffer.allocate(encodedSize);
            encode(packet, separatePayload != null, own);
            out.write(own.array(), 0, own.position());
        } else {
            if (buffer.remaining() < encodedSize) {
                makeRoom(encodedSize);
            }
            encode(packet, separatePayload != null, buffer);
        }
        if (separatePayload != null) {
            flush();
            out.write(separatePayload);
            out.flush();
        }
        return size;
    }

    private void encode(Packet packet, boolean headerOnly, ByteBuffer into) {
        if (headerOnly) {
            encoder.encodePublishHeader((Publish) packet, into);
        } else {
            encoder.encode(packet, into);
        }
    }

    /** Room for {@code size} more bytes: what waits is written first when the buffer cannot grow enough. */
    private void makeRoom(int size) throws IOException {
        if (buffer.position() + size > BUFFER_MAXIMUM) {
            flush();
        }
        if (buffer.remaining() < size) {
            int needed = buffer.position() + size;
            ByteBuffer larger = ByteBuffer.allocate(Math.min(Math.max(needed, buffer.capacity() * 2), BUFFER_MAXIMUM));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }

    /** {@return whether packets wait to be written} */
    boolean hasPending() {
        return buffer.position() > 0;
    }

    /** Writes what waits, in one write, and flushes the stream. */
    void flush() throws IOException {
        if (buffer.position() > 0) {
            int length = buffer.position();
            buffer.clear();
            out.write(buffer.array(), 0, length);
            out.flush();
        }
    }

    /** Forgets what waits: the connection is gone. */
    void discard() {
        buffer.clear();
    }
}
