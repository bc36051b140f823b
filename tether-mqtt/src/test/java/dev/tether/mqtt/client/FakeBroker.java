package dev.tether.mqtt.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for a broker, for what real brokers will not do on request: refuse a
 * connection or a subscription with a chosen code, stay silent, disconnect with a reason. It
 * accepts one connection, hands each packet the client sends to a {@link Script}, writes back
 * what the script answers, and records the packets so tests can check what the client sent.
 */
final class FakeBroker implements AutoCloseable {

    /** One packet from the client: the fixed header's type and flags, and the rest of the packet. */
    record Packet(int type, int flags, byte[] body) {
        static final int CONNECT = 1;
        static final int SUBSCRIBE = 8;
        static final int UNSUBSCRIBE = 10;
        static final int PINGREQ = 12;
        static final int DISCONNECT = 14;

        /** The packet identifier of a SUBSCRIBE or UNSUBSCRIBE: the first two bytes after the fixed header. */
        int packetId() {
            return (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        }

        /** The packet identifier of a QoS 1/2 PUBLISH: the two bytes after the topic name. */
        int publishId() {
            int topicLength = (body[0] & 0xFF) << 8 | body[1] & 0xFF;
            return (body[2 + topicLength] & 0xFF) << 8 | body[3 + topicLength] & 0xFF;
        }

        /** Whether the body contains {@code text} as UTF-8, e.g. a topic filter. */
        boolean contains(String text) {
            return new String(body, StandardCharsets.ISO_8859_1)
                    .contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
    }

    /** What the fake broker answers to a packet: whole packets as bytes, or null for nothing. */
    interface Script {
        byte[] answer(Packet packet);
    }

    private final ServerSocket server;
    private final Script script;
    private final BlockingQueue<Packet> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closedByClient = new CountDownLatch(1);
    private volatile Socket connection;
    private volatile int protocolLevel;

    private FakeBroker(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
    }

    static FakeBroker start(Script script) {
        try {
            FakeBroker broker = new FakeBroker(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()), script);
            Thread.ofVirtual().name("fake-broker-" + broker.port()).start(broker::serve);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String host() {
        return server.getInetAddress().getHostAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        try (Socket socket = server.accept()) {
            connection = socket;
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                Packet packet = read(in);
                if (packet.type() == Packet.CONNECT) {
                    protocolLevel = packet.body()[6]; // after the protocol name "MQTT"
                }
                received.add(packet);
                byte[] answer = script.answer(packet);
                if (answer != null) {
                    send(answer);
                }
            }
        } catch (EOFException e) {
            closedByClient.countDown();
        } catch (IOException e) {
            // Closed by the test, or reset by the client.
            closedByClient.countDown();
        }
    }

    private static Packet read(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        for (int shift = 0; shift <= 21; shift += 7) {
            int digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0F, body);
    }

    /** Whether the client connected with MQTT 5 (protocol level 5). */
    boolean v5() {
        return protocolLevel == 5;
    }

    /** Writes bytes to the client, e.g. a packet it did not ask for. */
    void send(byte[] bytes) throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** The next packet the client sent, or null if none came within {@code timeout}. */
    Packet nextPacket(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next packet of {@code type} the client sent, skipping others; null if none came within {@code timeout}. */
    Packet nextPacket(int type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Packet packet;
        while ((packet = nextPacket(Duration.ofNanos(deadline - System.nanoTime()))) != null) {
            if (packet.type() == type) {
                return packet;
            }
        }
        return null;
    }

    /**
     * The next packet of {@code type} the client sent, which must carry {@code packetId}: the
     * answer to a PUBLISH or PUBREL.
     *
     * @throws AssertionError if none came within {@code timeout}, or it carries another identifier
     */
    Packet awaitAnswer(int type, int packetId, Duration timeout) throws InterruptedException {
        Packet answer = nextPacket(type, timeout);
        if (answer == null || answer.packetId() != packetId) {
            throw new AssertionError("expected a packet of type " + type + " for packet identifier " + packetId
                    + " within " + timeout + ", got " + (answer == null ? "none" : "one for " + answer.packetId()));
        }
        return answer;
    }

    /** Whether the client closed the connection within {@code timeout}. */
    boolean awaitClosedByClient(Duration timeout) throws InterruptedException {
        return closedByClient.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket socket = connection;
        if (socket != null) {
            socket.close();
        }
    }

    /** Bytes from hex digits, spaces allowed: {@code bytes("20 02 00 00")}. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A whole packet: the first byte of the fixed header, the remaining length, then {@code body}. */
    static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body);
        return packet.toByteArray();
    }

    /** An MQTT string: two bytes of length, then the UTF-8 bytes. */
    static byte[] string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] string = new byte[utf8.length + 2];
        string[0] = (byte) (utf8.length >> 8);
        string[1] = (byte) utf8.length;
        System.arraycopy(utf8, 0, string, 2, utf8.length);
        return string;
    }

    /** A CONNACK: session present 0, the reason code (3.1.1: return code), and in MQTT 5 a reason string if not null. */
    static byte[] connack(boolean v5, int code, String reasonString) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(code);
        if (v5) {
            body.writeBytes(properties(reasonString));
        }
        return packet(0x20, body.toByteArray());
    }

    /** A SUBACK for one filter with {@code code}, and in MQTT 5 a reason string if not null. */
    static byte[] suback(boolean v5, int packetId, int code, String reasonString) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        if (v5) {
            body.writeBytes(properties(reasonString));
        }
        body.write(code);
        return packet(0x90, body.toByteArray());
    }

    /** A successful UNSUBACK for one filter. */
    static byte[] unsuback(boolean v5, int packetId) {
        return unsuback(v5, packetId, 1);
    }

    /** A successful UNSUBACK for {@code filters} filters (MQTT 3.1.1 has no reason codes to count). */
    static byte[] unsuback(boolean v5, int packetId, int filters) {
        if (!v5) {
            return packet(0xB0, new byte[] {(byte) (packetId >> 8), (byte) packetId});
        }
        byte[] body = new byte[3 + filters]; // identifier, no properties, Success for each filter
        body[0] = (byte) (packetId >> 8);
        body[1] = (byte) packetId;
        return packet(0xB0, body);
    }

    /** An MQTT 5 DISCONNECT with {@code code} and a reason string. */
    static byte[] disconnect(int code, String reasonString) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(code);
        body.writeBytes(properties(reasonString));
        return packet(0xE0, body.toByteArray());
    }

    /** MQTT 5 properties: none, or only a Reason String (0x1F). */
    private static byte[] properties(String reasonString) {
        if (reasonString == null) {
            return new byte[] {0};
        }
        byte[] value = string(reasonString);
        byte[] properties = new byte[value.length + 2];
        properties[0] = (byte) (value.length + 1); // fits one byte for the short strings tests use
        properties[1] = 0x1F;
        System.arraycopy(value, 0, properties, 2, value.length);
        return properties;
    }
}
