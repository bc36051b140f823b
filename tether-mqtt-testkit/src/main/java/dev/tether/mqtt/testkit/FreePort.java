package dev.tether.mqtt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Returns {@code count} different ports that were all free on {@code 127.0.0.1} when they were
     * asked for: each stays bound until the last is picked, so no two are the same.
     *
     * <pre>{@code
     * int[] ports = FreePort.pick(3);
     * }</pre>
     *
     * @param count how many ports
     * @return the ports
     */
    public static int[] pick(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                socket.setReuseAddress(true);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no " + count + " free TCP ports on loopback", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // it was only held to keep the port from being picked twice
                }
            }
        }
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
