package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.internal.codec.MalformedPacketException.malformed;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Turns bytes into packets, in chunks of any size: an explicit state machine, fixed header →
 * remaining length → body. The remaining length is checked against the maximum packet size before
 * any body is allocated. When a whole body is already in the input it is parsed in place, so a
 * small PUBLISH costs only its record, topic and payload; otherwise the body is gathered first,
 * except for a large PUBLISH: its header is gathered into a small array and its payload straight
 * into the payload's own array, so the payload is copied once instead of twice. The caller may
 * even read the rest of such a payload from the network straight into that array, with
 * {@link #readPayload}, so that it is not copied at all.
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

    /** A PUBLISH body longer than this, not already whole in the input, is gathered in two parts. */
    private static final int SPLIT_PUBLISH_ABOVE = 16 * 1024;
    /**
     * Room for the header of such a PUBLISH (topic, packet identifier, properties). A header that
     * does not fit, or cannot be measured, makes the body gathered whole as for any packet, and the
     * full decoding then judges it.
     */
    private static final int SPLIT_HEADER_ROOM = 2 * 1024;

    private final BodyDecoder bodies;
    private final boolean v5;
    private final int maximumPacketSize;
    private final PacketReader reader = new PacketReader();

    private State state = State.FIXED_HEADER;
    private int firstByte;
    private int remainingLength;
    private int lengthBytes;
    private byte[] body;
    private int bodyFilled;
    /** True while {@link #body} is only the header room of a large PUBLISH, whose length is not yet known. */
    private boolean splitting;
    /** The payload of a large PUBLISH, once its header is gathered; {@link #body} then holds the header. */
    private byte[] payload;
    private int payloadFilled;
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
        this.v5 = version == ProtocolVersion.V5;
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
            payload = null;
            throw e;
        }
    }

    /**
     * Where bytes come from: a read from the network, as {@link java.io.InputStream#read(byte[], int, int)}
     * does it (blocking until at least one byte came, -1 at the end of the stream).
     */
    @FunctionalInterface
    public interface Source {
        /** {@return how many bytes were read into {@code bytes} from {@code offset}, at most {@code length}; -1 at the end} */
        int read(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * {@return how many bytes of a large PUBLISH's payload are still missing once the input given
     * to {@link #decode} ran out; 0 when no such payload is being gathered} When not 0,
     * {@link #readPayload} can read them.
     */
    public int payloadMissing() {
        return payload == null ? 0 : payload.length - payloadFilled;
    }

    /**
     * Reads missing payload bytes of a large PUBLISH from {@code source} straight into the
     * payload's own array: for a payload of megabytes, this saves copying it from the caller's
     * read buffer. Reads no byte past the payload, so the next packet stays in the source. The
     * next {@link #decode} returns the PUBLISH once its payload is whole.
     *
     * @return the bytes read, or -1 at the end of the stream
     * @throws IllegalStateException if {@link #payloadMissing()} is 0
     */
    public int readPayload(Source source) throws IOException {
        int missing = payloadMissing();
        if (missing == 0) {
            throw new IllegalStateException("no payload is being gathered");
        }
        int count = source.read(payload, payloadFilled, missing);
        if (count > 0) {
            payloadFilled += count;
        }
        return count;
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
                            throw malformed("remaining length is longer than 4 bytes (MQTT 5, 1.5.5; MQTT 3.1.1, 2.2.3)");
                        }
                        continue;
                    }
                    if (v5 && digit == 0 && lengthBytes > 1) {
                        throw malformed(VariableByteInteger.notMinimal("remaining length", remainingLength, lengthBytes));
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
                        splitting = firstByte >>> 4 == PacketType.PUBLISH.value() && remainingLength > SPLIT_PUBLISH_ABOVE;
                        // within the maximum, checked above
                        body = new byte[splitting ? SPLIT_HEADER_ROOM : remainingLength];
                        bodyFilled = 0;
                    }
                    if (payload != null) {
                        int chunk = Math.min(input.remaining(), payload.length - payloadFilled);
                        input.get(payload, payloadFilled, chunk);
                        payloadFilled += chunk;
                        if (payloadFilled < payload.length) {
                            return null;
                        }
                        ByteBuffer header = ByteBuffer.wrap(body, 0, bodyFilled);
                        byte[] rest = payload;
                        body = null;
                        payload = null;
                        reader.reset(header, 0, bodyFilled, rest);
                        state = State.FIXED_HEADER;
                        return bodies.decode(firstByte, remainingLength);
                    }
                    int chunk = Math.min(input.remaining(), body.length - bodyFilled);
                    input.get(body, bodyFilled, chunk);
                    bodyFilled += chunk;
                    if (splitting) {
                        int headerLength = publishHeaderLength(body, bodyFilled);
                        if (headerLength >= 0 && headerLength <= bodyFilled) {
                            // Header complete: what came after it is the start of the payload.
                            payload = new byte[remainingLength - headerLength];
                            payloadFilled = bodyFilled - headerLength;
                            System.arraycopy(body, headerLength, payload, 0, payloadFilled);
                            bodyFilled = headerLength;
                            splitting = false;
                            continue;
                        }
                        if (bodyFilled < body.length) {
                            return null;
                        }
                        body = java.util.Arrays.copyOf(body, remainingLength);
                        splitting = false;
                        continue;
                    }
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

    /**
     * The length of a PUBLISH's variable header (topic, packet identifier, properties) from the
     * first {@code filled} bytes of its body, or -1 when they do not tell yet. Only measures:
     * validation is left to the full decoding of the header.
     */
    private int publishHeaderLength(byte[] bytes, int filled) {
        if (filled < 2) {
            return -1;
        }
        int length = 2 + ((bytes[0] & 0xFF) << 8 | bytes[1] & 0xFF) + ((firstByte >>> 1 & 0b11) == 0 ? 0 : 2);
        if (!v5) {
            return length;
        }
        int propertiesLength = 0;
        for (int i = 0; i < 4; i++) {
            if (length + i >= filled) {
                return -1;
            }
            int digit = bytes[length + i] & 0xFF;
            propertiesLength |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return length + i + 1 + propertiesLength;
            }
        }
        return -1;
    }

    private Packet finish(ByteBuffer source, int start) throws MalformedPacketException {
        reader.reset(source, start, start + remainingLength);
        state = State.FIXED_HEADER;
        return bodies.decode(firstByte, remainingLength);
    }
}
