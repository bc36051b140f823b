package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The read side of a connection: the socket's bytes into a buffer, decoded into packets. Only
 * the reader thread touches it (and the CONNACK read before that thread starts).
 */
final class PacketInput {

    /*
     * The read buffer starts small and doubles, up to 64 KiB, each time a read fills it: a busy
     * connection soon reads 64 KiB per system call, while an idle one (thousands of them in one
     * JVM) keeps 256 bytes instead of 64 KiB.
     */
    private static final int READ_BUFFER_INITIAL = 256;
    private static final int READ_BUFFER_MAXIMUM = 64 * 1024;

    private final InputStream in;
    private final PacketDecoder decoder;
    private final Traffic traffic;
    private final String name;
    private ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_INITIAL).flip();

    PacketInput(InputStream in, PacketDecoder decoder, Traffic traffic, String name) {
        this.in = in;
        this.decoder = decoder;
        this.traffic = traffic;
        this.name = name;
    }

    /** {@return the next packet in what was read, or null if more must be read first} */
    Packet decode() throws MalformedPacketException {
        return decoder.decode(readBuffer);
    }

    /** Reads exactly one packet, blocking: only for the CONNACK, before the reader runs. */
    Packet readOne() throws IOException {
        while (true) {
            Packet packet = decoder.decode(readBuffer);
            if (packet != null) {
                return packet;
            }
            if (!fill()) {
                throw new EOFException("broker " + name + " closed the connection without a CONNACK");
            }
        }
    }

    /** Reads what the socket has into the buffer; false at the end of the stream. */
    boolean fill() throws IOException {
        if (!readBuffer.hasRemaining() && decoder.payloadMissing() > 0) {
            return fillPayload();
        }
        readBuffer.compact();
        try {
            int room = readBuffer.remaining();
            int count = in.read(readBuffer.array(), readBuffer.arrayOffset() + readBuffer.position(), room);
            if (count < 0) {
                return false;
            }
            if (count == room && readBuffer.capacity() < READ_BUFFER_MAXIMUM) {
                // Filled: more is probably waiting. Grow, keeping the unread bytes.
                readBuffer.position(readBuffer.position() + count).flip();
                readBuffer = ByteBuffer.allocate(Math.min(readBuffer.capacity() * 2, READ_BUFFER_MAXIMUM)).put(readBuffer);
                traffic.bytesReceived.add(count);
                return true;
            }
            readBuffer.position(readBuffer.position() + count);
            traffic.bytesReceived.add(count);
            return true;
        } finally {
            readBuffer.flip();
        }
    }

    /**
     * The rest of a large PUBLISH payload is read straight into the payload's array: through the
     * read buffer it was copied once more, and read in pieces of the buffer's size (64 KiB) where
     * the socket gives up to 128 KiB a call.
     */
    private boolean fillPayload() throws IOException {
        int count = decoder.readPayload(in::read);
        if (count < 0) {
            return false;
        }
        traffic.bytesReceived.add(count);
        return true;
    }
}
