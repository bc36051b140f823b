package dev.tether.mqtt.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Statement;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frames a WebSocket server sends, as the client reads them: a server that answers the upgrade, then sends the given bytes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketFramesTest {

    @Test
    @Statement(v311 = {"MQTT-6.0.0-2", "MQTT-6.0.0-3"}, v5 = {"MQTT-6.0.0-2", "MQTT-6.0.0-3"})
    void packetsSplitAcrossBinaryFramesAndContinuationsAreReadAsOneStream() throws Exception {
        // PINGRESP split over a binary frame and a continuation: packets need not align with frames.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = connect(server, new byte[] {0x02, 0x01, (byte) 0xd0, (byte) 0x80, 0x01, 0x00})) {
            InputStream in = handshake(socket).in();

            assertArrayEquals(new byte[] {(byte) 0xd0, 0x00}, in.readNBytes(2));
        }
    }

    @Test
    @Statement(v311 = "MQTT-6.0.0-1", v5 = "MQTT-6.0.0-1")
    void aTextFrameEndsTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = connect(server, new byte[] {(byte) 0x81, 0x02, (byte) 0xd0, 0x00})) {
            InputStream in = handshake(socket).in();

            ProtocolException e = assertThrows(ProtocolException.class, () -> in.readNBytes(2));
            assertTrue(e.getMessage().contains("sent a text frame: MQTT travels in binary frames only [MQTT-6.0.0-1]"),
                    e.getMessage());
        }
    }

    private static WebSocket handshake(Socket socket) throws IOException {
        return WebSocket.handshake(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream(),
                "localhost", "/mqtt", List.of(), "test server");
    }

    /** Connects to a server thread that accepts the upgrade, checks the subprotocol offered, and sends {@code frames}. */
    private static Socket connect(ServerSocket server, byte[] frames) throws IOException {
        Thread.ofVirtual().name("websocket-test-server").start(() -> {
            try (Socket peer = server.accept()) {
                String request = readHead(peer.getInputStream());
                String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
                        .substring("Sec-WebSocket-Key: ".length());
                String protocol = request.contains("\r\nSec-WebSocket-Protocol: mqtt\r\n") ? "mqtt" : "none";
                OutputStream out = peer.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + WebSocket.accept(key) + "\r\nSec-WebSocket-Protocol: " + protocol
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(frames);
                out.flush();
                peer.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client closes
            } catch (IOException e) {
                // the client went away
            }
        });
        return new Socket(server.getInetAddress(), server.getLocalPort());
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the request head");
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
