package dev.tether.mqtt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a TCP port that is free on loopback at the moment of the call.
 *
 * <p>Another process may take the port before the broker binds it; the brokers of this package
 * retry with a new port when that happens.
 *
 * <pre>{@code
 * int port = FreePort.pick();
 * }</pre>
 */
public final class FreePort {

    private FreePort() {
    }

    /** Returns a port that was free on {@code 127.0.0.1} when it was asked for. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on loopback", e);
        }
    }
}
