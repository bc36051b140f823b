package dev.tether.mqtt.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test proxies share: a loopback server socket, a virtual thread per client, the
 * handshake a subclass speaks, then bytes copied both ways until either side closes.
 */
abstract class TunnelProxy implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final String username;
    private final byte[] password;

    TunnelProxy(String username, char[] password) {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("user name and password go together");
        }
        this.username = username;
        this.password = password == null ? null : new String(password).getBytes(StandardCharsets.UTF_8);
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the proxy's port", e);
        }
        Thread.ofVirtual().name(getClass().getSimpleName() + "-" + server.getLocalPort()).start(this::accept);
    }

    /** The proxy's host, the loopback address. */
    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** The proxy's port. */
    public int port() {
        return server.getLocalPort();
    }

    /** How many tunnels the proxy opened to a target so far. */
    public int tunnels() {
        return tunnels.get();
    }

    boolean requiresAuthentication() {
        return username != null;
    }

    boolean credentialsMatch(String givenUser, byte[] givenPassword) {
        return username != null && username.equals(givenUser) && java.util.Arrays.equals(password, givenPassword);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            Socket target = handshake(client.getInputStream(), client.getOutputStream());
            if (target == null) {
                return;
            }
            open.add(target);
            tunnels.incrementAndGet();
            try (target) {
                Thread back = Thread.ofVirtual().start(() -> copy(target, client));
                copy(client, target);
                back.join();
            }
        } catch (IOException | InterruptedException e) {
            // the client or the target went away
        }
    }

    /**
     * Speaks the proxy protocol with the client; returns the connected target, or null after
     * answering with a refusal.
     */
    abstract Socket handshake(InputStream in, OutputStream out) throws IOException;

    static Socket connectTarget(String host, int port) throws IOException {
        return new Socket(host, port);
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int count;
            while ((count = in.read(buffer)) >= 0) {
                out.write(buffer, 0, count);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // going anyway
            }
        }
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
