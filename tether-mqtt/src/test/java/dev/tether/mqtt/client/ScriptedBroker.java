package dev.tether.mqtt.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A fake broker for what real brokers will not do: it accepts one connection, answers the
 * CONNECT with scripted bytes, then sends whatever the test asks (malformed packets, a
 * DISCONNECT) and records everything the client sends until the client closes.
 */
final class ScriptedBroker implements AutoCloseable {

    private final ServerSocket server;
    private final CompletableFuture<Socket> accepted = new CompletableFuture<>();
    private final CompletableFuture<byte[]> received = new CompletableFuture<>();

    ScriptedBroker(String connackHex) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("scripted-broker").start(() -> serve(HexFormat.ofDelimiter(" ").parseHex(connackHex)));
    }

    int port() {
        return server.getLocalPort();
    }

    String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    private void serve(byte[] connack) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            readPacket(in); // the CONNECT
            socket.getOutputStream().write(connack);
            accepted.complete(socket);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest); // until the client closes
            received.complete(rest.toByteArray());
        } catch (IOException e) {
            accepted.completeExceptionally(e);
            received.completeExceptionally(e);
        }
    }

    /** Sends raw bytes to the connected client. */
    void send(String hex) throws Exception {
        // One write on the unbuffered socket stream: the client may close the connection right
        // after reading these bytes, and a second call on the socket would then fail.
        accepted.get(10, TimeUnit.SECONDS).getOutputStream().write(HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    /** Everything the client sent after CONNECT, as hex, once it closed the connection. */
    String receivedAfterConnect() throws Exception {
        return HexFormat.ofDelimiter(" ").formatHex(received.get(10, TimeUnit.SECONDS));
    }

    private static void readPacket(InputStream in) throws IOException {
        in.read(); // fixed header
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int digit = in.read();
            if (digit < 0) {
                throw new IOException("connection closed in the fixed header");
            }
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed in the CONNECT");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
