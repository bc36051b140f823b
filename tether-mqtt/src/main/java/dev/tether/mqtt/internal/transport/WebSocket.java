package dev.tether.mqtt.internal.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of RFC 6455 over a connected byte stream: the HTTP/1.1 Upgrade with subprotocol
 * {@code mqtt}, then MQTT's bytes in binary frames. {@link #in()} yields the payload of data
 * frames (binary, and their continuations) as one stream, so an MQTT packet may span frames and
 * a frame may hold several packets; it answers pings and ends at a close frame.
 * {@link #out()} sends what was written since the last flush as one masked binary frame.
 */
final class WebSocket {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String SUBPROTOCOL = "mqtt";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final SecureRandom random = new SecureRandom();
    /** Data frames from {@link #out()} and pongs and closes from the reading thread go out one at a time. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final String peer;
    private boolean closeSent;

    private WebSocket(InputStream rawIn, OutputStream rawOut, String peer) {
        this.rawIn = rawIn;
        this.rawOut = rawOut;
        this.peer = peer;
    }

    /**
     * Sends the Upgrade request and checks the answer.
     *
     * @param rawIn   the connection's input, buffered; not one byte past the handshake is read
     * @param hostHeader the Host header: host, and the port unless it is the scheme's default
     */
    static WebSocket handshake(InputStream rawIn, OutputStream rawOut, String hostHeader, String path,
                               List<TransportOptions.Header> headers, String peer) throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Protocol: ").append(SUBPROTOCOL).append("\r\n");
        for (TransportOptions.Header header : headers) {
            request.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        request.append("\r\n");
        rawOut.write(request.toString().getBytes(StandardCharsets.UTF_8));
        rawOut.flush();

        String what = "WebSocket server " + peer;
        HttpHead response = HttpHead.read(rawIn, what);
        if (response.status() != 101) {
            throw new ProtocolException(what + " refused the upgrade of " + path + ": " + response.statusLine());
        }
        if (!"websocket".equalsIgnoreCase(response.value("upgrade"))) {
            throw new ProtocolException(what + " answered 101 without 'Upgrade: websocket'");
        }
        if (response.values("connection").stream().noneMatch(v -> v.equalsIgnoreCase("upgrade"))) {
            throw new ProtocolException(what + " answered 101 without 'Connection: Upgrade'");
        }
        if (!accept(key).equals(response.value("sec-websocket-accept"))) {
            throw new ProtocolException(what + " sent a wrong Sec-WebSocket-Accept (RFC 6455, 4.1)");
        }
        String protocol = response.value("sec-websocket-protocol");
        if (protocol == null || !protocol.toLowerCase(Locale.ROOT).equals(SUBPROTOCOL)) {
            throw new ProtocolException(what + " did not agree to the subprotocol 'mqtt'"
                    + (protocol == null ? "" : " (it chose '" + protocol + "')"));
        }
        return new WebSocket(rawIn, rawOut, peer);
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    InputStream in() {
        return new FrameInput();
    }

    OutputStream out() {
        return new FrameOutput();
    }

    /** Sends a close frame (1000, normal closure) unless one went out already; best effort. */
    void sendClose() {
        if (!writeLock.tryLock()) {
            return; // a write is stuck: the socket's close will end it
        }
        try {
            if (!closeSent) {
                closeSent = true;
                sendFrame(OP_CLOSE, new byte[] {0x03, (byte) 0xE8}, 0, 2);
            }
        } catch (IOException e) {
            // the connection is going anyway
        } finally {
            writeLock.unlock();
        }
    }

    private void sendFrame(int opcode, byte[] payload, int offset, int length) throws IOException {
        int headerLength = 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + 4;
        byte[] frame = new byte[headerLength + length];
        frame[0] = (byte) (0x80 | opcode);
        int i = 2;
        if (length < 126) {
            frame[1] = (byte) (0x80 | length);
        } else if (length <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[i++] = (byte) (length >> 8);
            frame[i++] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[i++] = (byte) ((long) length >> shift);
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        System.arraycopy(mask, 0, frame, i, 4);
        i += 4;
        for (int j = 0; j < length; j++) {
            frame[i + j] = (byte) (payload[offset + j] ^ mask[j & 3]);
        }
        rawOut.write(frame);
        rawOut.flush();
    }

    /** The payload of data frames, one stream; control frames are handled on the way. */
    private final class FrameInput extends InputStream {
        private long remaining;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int count = read(one, 0, 1);
            return count < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (remaining == 0) {
                if (ended || !nextDataFrame()) {
                    ended = true;
                    return -1;
                }
            }
            int count = rawIn.read(bytes, offset, (int) Math.min(length, remaining));
            if (count < 0) {
                throw new EOFException("WebSocket server " + peer + " closed the connection inside a frame");
            }
            remaining -= count;
            return count;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, rawIn.available());
        }

        /** Reads frame headers until a data frame starts (true) or a close frame came (false). */
        private boolean nextDataFrame() throws IOException {
            while (true) {
                int first = rawIn.read();
                if (first < 0) {
                    return false;
                }
                int second = readByte();
                if ((first & 0x70) != 0) {
                    throw new ProtocolException("WebSocket server " + peer + " set reserved bits no extension was agreed for");
                }
                if ((second & 0x80) != 0) {
                    throw new ProtocolException("WebSocket server " + peer + " masked a frame (RFC 6455, 5.1)");
                }
                int opcode = first & 0x0F;
                long length = second & 0x7F;
                if (length == 126) {
                    length = (long) readByte() << 8 | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int k = 0; k < 8; k++) {
                        length = length << 8 | readByte();
                    }
                    if (length < 0) {
                        throw new ProtocolException("WebSocket server " + peer + " sent a frame length above 2^63");
                    }
                }
                switch (opcode) {
                    case OP_TEXT -> throw new ProtocolException("WebSocket server " + peer
                            + " sent a text frame: MQTT travels in binary frames only [MQTT-6.0.0-1]");
                    case OP_CONTINUATION, OP_BINARY -> {
                        if (length > 0) {
                            remaining = length;
                            return true;
                        }
                    }
                    case OP_PING, OP_PONG, OP_CLOSE -> {
                        if (length > 125 || (first & 0x80) == 0) {
                            throw new ProtocolException("WebSocket server " + peer
                                    + " sent a fragmented or over-long control frame");
                        }
                        byte[] payload = rawIn.readNBytes((int) length);
                        if (payload.length != length) {
                            throw new EOFException("WebSocket server " + peer + " closed the connection inside a frame");
                        }
                        if (opcode == OP_PING) {
                            pong(payload);
                        } else if (opcode == OP_CLOSE) {
                            sendClose();
                            return false;
                        }
                    }
                    default -> throw new ProtocolException("WebSocket server " + peer + " sent unknown opcode " + opcode);
                }
            }
        }

        private void pong(byte[] payload) throws IOException {
            writeLock.lock();
            try {
                if (!closeSent) {
                    sendFrame(OP_PONG, payload, 0, payload.length);
                }
            } finally {
                writeLock.unlock();
            }
        }

        private int readByte() throws IOException {
            int b = rawIn.read();
            if (b < 0) {
                throw new EOFException("WebSocket server " + peer + " closed the connection inside a frame header");
            }
            return b;
        }
    }

    /** Collects writes until flush, then sends them as one binary frame. */
    private final class FrameOutput extends OutputStream {
        private byte[] buffer = new byte[1024];
        private int count;

        @Override
        public void write(int b) {
            ensure(1);
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        private void ensure(int more) {
            if (count + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
            }
        }

        @Override
        public void flush() throws IOException {
            if (count == 0) {
                return;
            }
            writeLock.lock();
            try {
                if (closeSent) {
                    throw new IOException("WebSocket to " + peer + " is closed");
                }
                sendFrame(OP_BINARY, buffer, 0, count);
            } finally {
                count = 0;
                if (buffer.length > 64 * 1024) {
                    buffer = new byte[1024]; // do not keep a large packet's buffer for the life of the connection
                }
                writeLock.unlock();
            }
        }
    }
}
