package dev.tether.mqtt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens, for as long as this is open: every connection to it is
 * refused. The port is held bound (without listening, and without {@code SO_REUSEADDR}), so no
 * other process can start listening there in the middle of a test, as it could on a port that was
 * merely free a moment ago.
 *
 * <pre>{@code
 * try (ClosedPort closed = ClosedPort.open()) {
 *     assertThrows(MqttConnectException.class,
 *             () -> MqttClient.newBuilder().host(closed.host()).port(closed.port()).connect());
 * }
 * }</pre>
 */
public final class ClosedPort implements AutoCloseable {

    private final Socket socket;

    private ClosedPort(Socket socket) {
        this.socket = socket;
    }

    /**
     * Binds a free loopback port and keeps it.
     *
     * @return the closed port
     * @throws UncheckedIOException when no port can be bound
     */
    public static ClosedPort open() {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new ClosedPort(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("no free TCP port on loopback", e);
        }
    }

    /** {@return the loopback address the port is on, as text} */
    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    /** {@return the port number} */
    public int port() {
        return socket.getLocalPort();
    }

    /** Frees the port. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
