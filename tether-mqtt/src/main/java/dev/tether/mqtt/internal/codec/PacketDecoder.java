package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.internal.codec.MalformedPacketException.malformed;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * Turns bytes into packets, in chunks of any size: an explicit state machine, fixed header →
 * remaining length → body. The remaining length is checked against the maximum packet size before
 * any body is allocated. When a whole body is already in the input it is parsed in place, so a
 * small PUBLISH costs only its record, topic and payload; otherwise the body is gathered first.
 * After a malformed packet the decoder stays failed and throws the same exception again.
 *
 * <pre>{@code
 * PacketDecoder decoder = new PacketDecoder(ProtocolVersion.V5, 1 << 20);
 * Packet packet;
 * while ((packet = decoder.decode(input)) != null) {
 *     route(packet);
 * }
 * }</pre>
 *
 * Not thread-safe: one decoder per connection, used by its reader thread.
 */
public final class PacketDecoder {

    private enum State { FIXED_HEADER, REMAINING_LENGTH, BODY }

    private final BodyDecoder bodies;
    private final int maximumPacketSize;
    private final PacketReader reader = new PacketReader();

    private State state = State.FIXED_HEADER;
    private int firstByte;
    private int remainingLength;
    private int lengthBytes;
    private byte[] body;
    private int bodyFilled;
    private MalformedPacketException failure;

    /**
     * @param version the protocol version of the connection (a CONNECT is decoded by its own level)
     * @param maximumPacketSize the largest whole packet accepted, fixed header included
     */
    public PacketDecoder(ProtocolVersion version, int maximumPacketSize) {
        if (maximumPacketSize < 2) {
            throw new IllegalArgumentException("maximum packet size must be at least 2 bytes, was " + maximumPacketSize);
        }
        this.bodies = new BodyDecoder(version, reader);
        this.maximumPacketSize = maximumPacketSize;
    }

    /**
     * Consumes bytes from {@code input} and returns the next whole packet, or null when the input
     * ran out first (the bytes read so far are kept for the next call).
     *
     * @throws MalformedPacketException if the bytes break the protocol; every later call throws it too
     */
    public Packet decode(ByteBuffer input) throws MalformedPacketException {
        if (failure != null) {
            throw failure;
        }
        try {
            return step(input);
        } catch (MalformedPacketException e) {
            failure = e;
            body = null;
            throw e;
        }
    }

    /** Whether a packet has been started but not finished: bytes that an end of stream would cut. */
    public boolean isMidPacket() {
        return state != State.FIXED_HEADER;
    }

    private Packet step(ByteBuffer input) throws MalformedPacketException {
        while (true) {
            switch (state) {
                case FIXED_HEADER -> {
                    if (!input.hasRemaining()) {
                        return null;
                    }
                    firstByte = input.get() & 0xFF;
                    bodies.checkFixedHeader(firstByte);
                    remainingLength = 0;
                    lengthBytes = 0;
                    state = State.REMAINING_LENGTH;
                }
                case REMAINING_LENGTH -> {
                    if (!input.hasRemaining()) {
                        return null;
                    }
                    int digit = input.get() & 0xFF;
                    remainingLength |= (digit & 0x7F) << (7 * lengthBytes);
                    lengthBytes++;
                    if ((digit & 0x80) != 0) {
                        if (lengthBytes == 4) {
                            throw malformed("remaining length is longer than 4 bytes [MQTT-1.5.5-1]");
                        }
                        continue;
                    }
                    long packetSize = 1L + lengthBytes + remainingLength;
                    if (packetSize > maximumPacketSize) {
                        throw new MalformedPacketException(ReasonCode.PACKET_TOO_LARGE, "a packet of " + packetSize
                                + " bytes exceeds the maximum packet size of " + maximumPacketSize + " bytes");
                    }
                    state = State.BODY;
                }
                case BODY -> {
                    if (body == null && input.remaining() >= remainingLength) {
                        int start = input.position();
                        input.position(start + remainingLength);
                        return finish(input, start);
                    }
                    if (body == null) {
                        body = new byte[remainingLength]; // within the maximum, checked above
                        bodyFilled = 0;
                    }
                    int chunk = Math.min(input.remaining(), remainingLength - bodyFilled);
                    input.get(body, bodyFilled, chunk);
                    bodyFilled += chunk;
                    if (bodyFilled < remainingLength) {
                        return null;
                    }
                    ByteBuffer gathered = ByteBuffer.wrap(body);
                    body = null;
                    return finish(gathered, 0);
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    private Packet finish(ByteBuffer source, int start) throws MalformedPacketException {
        reader.reset(source, start, start + remainingLength);
        state = State.FIXED_HEADER;
        return bodies.decode(firstByte, remainingLength);
    }
}
