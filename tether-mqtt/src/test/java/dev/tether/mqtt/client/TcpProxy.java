package dev.tether.mqtt.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy between a client under test and a real broker, for what the client's public API
 * cannot do on purpose: {@link #cut()} ends every connection without a DISCONNECT (the broker sees
 * a network failure, as if the client's host died), and {@link #stall()} stops forwarding while
 * the sockets stay open (a broker gone silent). It also records what the broker sent, so a test
 * can wait until a message has reached the client.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String brokerHost;
    private final int brokerPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final StringBuilder downstream = new StringBuilder();
    private boolean stalled;
    private volatile boolean closed;

    private TcpProxy(ServerSocket server, String brokerHost, int brokerPort) {
        this.server = server;
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
    }

    /** Starts a proxy on a free loopback port that forwards every connection to {@code host:port}. */
    static TcpProxy to(String host, int port) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxy proxy = new TcpProxy(server, host, port);
            Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(proxy::acceptLoop);
            return proxy;
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

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress(brokerHost, brokerPort), 5_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(broker);
                Thread.ofVirtual().start(() -> pump(client, broker, false));
                Thread.ofVirtual().start(() -> pump(broker, client, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromBroker) {
        byte[] buffer = new byte[16 * 1024];
        try {
            // Not closed by try-with-resources: closing a socket's stream closes the socket, and
            // a stalled proxy must keep the sockets open.
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int count;
            while ((count = in.read(buffer)) >= 0) {
                lock.lock();
                try {
                    while (stalled && !closed) {
                        changed.await();
                    }
                    if (fromBroker) {
                        downstream.append(new String(buffer, 0, count, StandardCharsets.ISO_8859_1));
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                out.write(buffer, 0, count);
                out.flush();
            }
        } catch (IOException e) {
            // One side closed or the connection was cut: close the other side below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A stalled proxy passes nothing on, not even the end of a connection.
        lock.lock();
        try {
            while (stalled && !closed) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        abort(from);
        abort(to);
    }

    /**
     * Waits until the broker has sent {@code text} (as UTF-8 bytes, e.g. a payload) towards the client.
     *
     * @return false if it did not within {@code timeout}
     */
    boolean awaitFromBroker(String text, Duration timeout) throws InterruptedException {
        String wanted = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (downstream.indexOf(wanted) < 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops forwarding in both directions, the end of a connection included: the sockets stay
     * open, so neither side notices until its keep-alive runs out.
     */
    void stall() {
        lock.lock();
        try {
            stalled = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Resets every connection (TCP RST, no DISCONNECT): to the broker it is a network failure. New
     * connections are still accepted.
     */
    void cut() {
        for (Socket socket : sockets) {
            abort(socket);
        }
        sockets.clear();
    }

    private static void abort(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // Closing anyway.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            stalled = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        cut();
    }
}
