package dev.tether.mqtt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the clients of a test and a server (an MQTT broker, usually), with faults
 * that a test switches on and off while connections run: cut every connection, refuse new ones,
 * add latency, limit bandwidth, go silent (half-open connections), cut a connection after so many
 * bytes. It also counts connections and can record every byte each side sent, for tests that check
 * what went over the wire.
 *
 * <p>The proxy listens on {@code 127.0.0.1} on a free port and opens, for every connection it
 * accepts, one connection to the target. Connections are numbered from 0 in the order the proxy
 * accepted them; that number is the {@code connectionIndex} of {@link #clientBytes(int)} and
 * {@link #serverBytes(int)}. Each fault is described at its method: some affect the connections
 * already open, some only the connections accepted afterwards. {@link #heal()} switches them all
 * off. Faults and queries may be called from any thread, typically the test's.
 *
 * <p>Each connection runs on four virtual threads (a reader and a writer per direction) with at
 * most 1 MiB queued per direction. {@link #close()} resets every connection and returns once all
 * threads of the proxy have ended; the thread names start with {@code fault-proxy-<port>}.
 *
 * <p>Use it with try-with-resources, or per test with {@link FaultProxyExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrokerExtension broker = BrokerExtension.hivemq();
 *
 * @Test
 * void reconnectsAfterTheConnectionWasCut() throws Exception {
 *     try (FaultProxy proxy = FaultProxy.start(broker.host(), broker.port());
 *          MqttClient client = MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).connect()) {
 *         assertEquals(1, proxy.cutAll());
 *         assertTrue(proxy.awaitConnections(2, Duration.ofSeconds(10)), "the client came back");
 *     }
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /**
     * The most bytes one proxy records, both directions of all its connections together: 64 MiB.
     * Past it, the proxy records nothing more and {@link #recordingTruncated()} returns true.
     *
     * <pre>{@code
     * assertTrue(bytes.length < FaultProxy.RECORD_LIMIT);
     * }</pre>
     */
    public static final int RECORD_LIMIT = 64 << 20;

    private static final String LOOPBACK = "127.0.0.1";
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Faults faults = new Faults();
    private final Recordings recordings = new Recordings();
    private final Set<ProxyConnection> live = ConcurrentHashMap.newKeySet();
    private final ProxyThreads threads;
    private final ProxyConnection.Shared shared;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.threads = new ProxyThreads("fault-proxy-" + server.getLocalPort());
        this.shared = new ProxyConnection.Shared(targetHost, targetPort, faults, recordings, threads, live);
        this.acceptor = threads.newThread("accept", this::acceptLoop);
    }

    /**
     * Starts a proxy on a free port of {@code 127.0.0.1} that forwards every connection to
     * {@code targetHost:targetPort}. The target need not be up yet: the proxy connects to it for
     * each connection it accepts, and resets the client's connection when it cannot.
     *
     * <pre>{@code
     * try (FaultProxy proxy = FaultProxy.start(broker.host(), broker.port())) {
     *     connectTo(proxy.host(), proxy.port());
     * }
     * }</pre>
     *
     * @param targetHost the server's host name or address
     * @param targetPort the server's port
     * @return the running proxy
     * @throws UncheckedIOException when no port can be bound
     */
    public static FaultProxy start(String targetHost, int targetPort) {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("not a TCP port: " + targetPort);
        }
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + LOOPBACK, e);
        }
        FaultProxy proxy = new FaultProxy(server, targetHost, targetPort);
        proxy.acceptor.start();
        return proxy;
    }

    /**
     * The address the proxy listens on: always {@code "127.0.0.1"}.
     *
     * <pre>{@code
     * Socket socket = new Socket(proxy.host(), proxy.port());
     * }</pre>
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return LOOPBACK;
    }

    /**
     * The port the proxy listens on.
     *
     * <pre>{@code
     * Socket socket = new Socket(proxy.host(), proxy.port());
     * }</pre>
     *
     * @return the listening port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The proxy's address as an MQTT URI, {@code "mqtt://127.0.0.1:<port>"}.
     *
     * <pre>{@code
     * URI broker = URI.create(proxy.uri()); // for clients configured by URI
     * }</pre>
     *
     * @return {@code "mqtt://127.0.0.1:<port>"}
     */
    public String uri() {
        return "mqtt://" + LOOPBACK + ":" + port();
    }

    // ---------------------------------------------------------------------------------- faults

    /**
     * Resets every open connection at once, on both sides (TCP RST, {@code SO_LINGER} 0): the
     * client and the server each see the connection fail, as when a network link dies. Bytes the
     * proxy still held for them are dropped. New connections are accepted as before.
     *
     * <pre>{@code
     * assertEquals(1, proxy.cutAll());
     * }</pre>
     *
     * @return how many connections it cut
     */
    public int cutAll() {
        int cut = 0;
        for (ProxyConnection connection : List.copyOf(live)) {
            if (connection.end(true, true)) {
                cut++;
            }
        }
        return cut;
    }

    /**
     * Whether to refuse new connections: while on, the proxy accepts each new connection and resets
     * it at once, without connecting to the server, so the client sees its connection fail before
     * any reply. Refused connections get no index and are counted by {@link #refusedConnections()}
     * only. Open connections are not affected.
     *
     * <pre>{@code
     * proxy.refuseNew(true);
     * proxy.cutAll(); // the client's reconnection attempts now fail
     * }</pre>
     *
     * @param refuse true to refuse, false to accept again
     * @return this proxy
     */
    public FaultProxy refuseNew(boolean refuse) {
        faults.refuseNew(refuse);
        return this;
    }

    /**
     * Adds latency: every chunk of bytes, in both directions and on every connection (open or new),
     * is passed on no earlier than {@code delay} after the proxy received it. Chunks keep their
     * order, and so does the end of a connection. The proxy holds up to 1 MiB per direction
     * meanwhile, so bandwidth stays at 1 MiB per {@code delay} or more. A change applies to the
     * chunks still waiting too. {@link Duration#ZERO} switches it off.
     *
     * <pre>{@code
     * proxy.delay(Duration.ofMillis(200)); // a round trip now takes at least 400 ms
     * }</pre>
     *
     * @param delay the least time each chunk spends in the proxy; zero for none
     * @return this proxy
     */
    public FaultProxy delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        long nanos = delay.toNanos();
        faults.delay(nanos);
        return this;
    }

    /**
     * Limits bandwidth to {@code bytesPerSecond} per direction of each connection (open or new);
     * 0 removes the limit. The bytes are passed on in slices of a twentieth of a second's worth,
     * so {@code n} bytes take at least {@code (n - bytesPerSecond / 20) / bytesPerSecond} seconds.
     *
     * <pre>{@code
     * proxy.throttle(10_000); // 10 kB/s each way
     * }</pre>
     *
     * @param bytesPerSecond the most bytes per second in each direction of a connection; 0 for no limit
     * @return this proxy
     */
    public FaultProxy throttle(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("negative rate: " + bytesPerSecond);
        }
        faults.throttle(bytesPerSecond);
        return this;
    }

    /**
     * Whether the proxy forwards nothing: while on, open and new connections stay open but no byte
     * gets through in either direction, and neither does the end of a connection (a FIN or a
     * reset). That is a half-open connection: each side finds out only by a timeout of its own,
     * e.g. MQTT's keep-alive. The bytes are held, not dropped (up to 1 MiB per direction in the
     * proxy, the rest in the senders' TCP buffers), so switching it off lets a connection that is
     * still open carry on where it stopped, like a network partition that healed before TCP gave up.
     *
     * <pre>{@code
     * proxy.blackhole(true);
     * assertThrows(MqttException.class, () -> subscription.receive(Duration.ofSeconds(10)));
     * }</pre>
     *
     * @param on true to silence every connection, false to let bytes through again
     * @return this proxy
     */
    public FaultProxy blackhole(boolean on) {
        faults.blackhole(on);
        return this;
    }

    /**
     * Cuts each new connection once it has forwarded {@code n} bytes from the client to the server:
     * the server gets exactly those {@code n} bytes, then the proxy shuts down its output (a FIN after
     * them, not a reset that could discard them) and closes; the client's connection is reset.
     * Whatever the client sent beyond them is dropped. Applies to the connections accepted afterwards; a negative {@code n}
     * switches it off (the default).
     *
     * <pre>{@code
     * proxy.closeAfterBytes(connect.length + 10); // cut in the middle of the first PUBLISH
     * }</pre>
     *
     * @param n how many bytes from the client reach the server; negative for no limit
     * @return this proxy
     * @see #closeAfterServerBytes(long)
     */
    public FaultProxy closeAfterBytes(long n) {
        faults.closeAfterClientBytes(n);
        return this;
    }

    /**
     * Like {@link #closeAfterBytes(long)} in the other direction: cuts each new connection once it
     * has forwarded {@code n} bytes from the server to the client. The client gets exactly those
     * bytes followed by a FIN; the server's connection is reset. A negative {@code n}
     * switches it off (the default).
     *
     * <pre>{@code
     * proxy.closeAfterServerBytes(connackLength); // the client gets its CONNACK, then nothing
     * }</pre>
     *
     * @param n how many bytes from the server reach the client; negative for no limit
     * @return this proxy
     */
    public FaultProxy closeAfterServerBytes(long n) {
        faults.closeAfterServerBytes(n);
        return this;
    }

    /**
     * Switches every fault off: no refusal, delay, throttle, blackhole or byte limit. Open
     * connections carry on with what they held (see {@link #blackhole(boolean)}), except that a byte
     * limit taken when they were accepted stays. Recording is not a fault and stays as it is.
     *
     * <pre>{@code
     * proxy.blackhole(true);
     * // ... the client declares the connection dead
     * proxy.heal();
     * assertTrue(proxy.awaitConnections(2, Duration.ofSeconds(10)), "the client reconnected");
     * }</pre>
     *
     * @return this proxy
     */
    public FaultProxy heal() {
        faults.heal();
        return this;
    }

    // --------------------------------------------------------------------------- observation

    /**
     * How many connections the proxy accepted and forwarded so far, closed ones included (refused
     * ones not: see {@link #refusedConnections()}). It also counts a connection the proxy accepted
     * but could not connect to the server for.
     *
     * <pre>{@code
     * assertEquals(1, proxy.connectionCount(), "the client did not reconnect");
     * }</pre>
     *
     * @return the number of connections accepted and forwarded so far
     */
    public int connectionCount() {
        return recordings.count();
    }

    /**
     * How many connections are open now: accepted, and not yet cut, reset or closed by both sides.
     *
     * <pre>{@code
     * proxy.cutAll();
     * assertEquals(0, proxy.activeConnections());
     * }</pre>
     *
     * @return the number of open connections
     */
    public int activeConnections() {
        return live.size();
    }

    /**
     * How many connections {@link #refuseNew(boolean)} refused so far.
     *
     * <pre>{@code
     * proxy.refuseNew(true).cutAll();
     * ...
     * assertTrue(proxy.refusedConnections() >= 3, "the client kept trying");
     * }</pre>
     *
     * @return the number of refused connections
     */
    public int refusedConnections() {
        return refused.get();
    }

    /**
     * Waits until the proxy has accepted {@code n} connections in all (as counted by
     * {@link #connectionCount()}); it does not wait for them to reach the server.
     *
     * <pre>{@code
     * proxy.cutAll();
     * assertTrue(proxy.awaitConnections(2, Duration.ofSeconds(10)), "the client reconnected");
     * }</pre>
     *
     * @param n how many connections, in all since the proxy started
     * @param timeout how long to wait at most
     * @throws InterruptedException if the thread was interrupted while waiting
     * @return false if fewer came within {@code timeout}
     */
    public boolean awaitConnections(int n, Duration timeout) throws InterruptedException {
        return recordings.awaitCount(n, timeout);
    }

    /**
     * Whether to record the bytes of new connections, off by default. A connection accepted while
     * it is on is recorded whole, from its first byte to its last, both directions; switching it
     * off stops nothing already recording. Recording stops for good at {@link #RECORD_LIMIT}.
     *
     * <pre>{@code
     * try (FaultProxy proxy = FaultProxy.start(broker.host(), broker.port()).record(true)) {
     *     ...
     *     byte[] sent = proxy.clientBytes(0);
     * }
     * }</pre>
     *
     * @param on true to record the connections accepted from now on
     * @return this proxy
     */
    public FaultProxy record(boolean on) {
        recordings.recordNew(on);
        return this;
    }

    /**
     * Every byte the client sent on connection {@code connectionIndex} (0 for the first connection
     * accepted), as far as the proxy received it, whether or not a fault stopped it on the way to
     * the server. The connection may still be open: this is what came so far.
     *
     * <pre>{@code
     * proxy.cutAll();
     * ...
     * List<Packet> resent = decode(proxy.clientBytes(1)); // what came again after the cut
     * }</pre>
     *
     * @param connectionIndex the connection's number, from 0 in the order accepted
     * @return a copy of the bytes recorded so far
     * @throws IndexOutOfBoundsException if the proxy did not accept that many connections
     * @throws IllegalStateException if the connection was accepted while {@link #record(boolean)} was off
     */
    public byte[] clientBytes(int connectionIndex) {
        return recordings.recorded(connectionIndex, true);
    }

    /**
     * Every byte the server sent on connection {@code connectionIndex}, as far as the proxy
     * received it, whether or not a fault stopped it on the way to the client.
     *
     * <pre>{@code
     * byte[] received = proxy.serverBytes(0);
     * assertEquals(0x20, received[0] & 0xF0, "a CONNACK first");
     * }</pre>
     *
     * @param connectionIndex the connection's number, from 0 in the order accepted
     * @return a copy of the bytes recorded so far
     * @throws IndexOutOfBoundsException if the proxy did not accept that many connections
     * @throws IllegalStateException if the connection was accepted while {@link #record(boolean)} was off
     */
    public byte[] serverBytes(int connectionIndex) {
        return recordings.recorded(connectionIndex, false);
    }

    /**
     * Whether the proxy reached {@link #RECORD_LIMIT} and recorded only the beginning of some
     * connections.
     *
     * <pre>{@code
     * assertFalse(proxy.recordingTruncated());
     * }</pre>
     *
     * @return true once the recordings reached the limit
     */
    public boolean recordingTruncated() {
        return recordings.truncated();
    }

    /**
     * Waits until the server has sent {@code bytes} on a recorded connection and the proxy has
     * passed them on to the client, e.g. until a message has reached a subscriber.
     *
     * <pre>{@code
     * proxy.record(true);
     * ...
     * publisher.publish(topic, "hello", Qos.AT_LEAST_ONCE);
     * assertTrue(proxy.awaitServerBytes("hello".getBytes(UTF_8), Duration.ofSeconds(10)));
     * }</pre>
     *
     * @param bytes the bytes to wait for, contiguous in one connection's stream
     * @param timeout how long to wait at most
     * @throws InterruptedException if the thread was interrupted while waiting
     * @return false if that did not happen within {@code timeout}
     * @throws IllegalStateException if no connection is recorded and recording is off
     */
    public boolean awaitServerBytes(byte[] bytes, Duration timeout) throws InterruptedException {
        return recordings.awaitForwarded(bytes, timeout, false);
    }

    /**
     * {@link #awaitServerBytes(byte[], Duration)} for the UTF-8 encoding of {@code text}, e.g. a
     * payload or a topic.
     *
     * <pre>{@code
     * assertTrue(proxy.awaitServerBytes("hello", Duration.ofSeconds(10)), "the message reached the client");
     * }</pre>
     *
     * @param text the text to wait for
     * @param timeout how long to wait at most
     * @throws InterruptedException if the thread was interrupted while waiting
     * @return false if that did not happen within {@code timeout}
     * @throws IllegalStateException if no connection is recorded and recording is off
     */
    public boolean awaitServerBytes(String text, Duration timeout) throws InterruptedException {
        return awaitServerBytes(text.getBytes(StandardCharsets.UTF_8), timeout);
    }

    /**
     * Waits until a client has sent {@code bytes} on a recorded connection and the proxy has passed
     * them on to the server.
     *
     * <pre>{@code
     * proxy.record(true);
     * ...
     * assertTrue(proxy.awaitClientBytes("hello".getBytes(UTF_8), Duration.ofSeconds(10)), "published");
     * proxy.cutAll();
     * }</pre>
     *
     * @param bytes the bytes to wait for, contiguous in one connection's stream
     * @param timeout how long to wait at most
     * @throws InterruptedException if the thread was interrupted while waiting
     * @return false if that did not happen within {@code timeout}
     * @throws IllegalStateException if no connection is recorded and recording is off
     */
    public boolean awaitClientBytes(byte[] bytes, Duration timeout) throws InterruptedException {
        return recordings.awaitForwarded(bytes, timeout, true);
    }

    /**
     * Stops the proxy: stops listening, resets every connection on both sides, and waits (up to
     * 10 s) until every thread of the proxy has ended. Idempotent.
     *
     * <pre>{@code
     * try (FaultProxy proxy = FaultProxy.start(broker.host(), broker.port())) {
     *     ...
     * } // closed here
     * }</pre>
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        try {
            // Once the acceptor has ended, no connection comes after the cut below.
            ProxyThreads.join(acceptor, deadline);
            cutAll();
            threads.joinAll(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Describes the proxy and its faults, e.g. for a failed assertion's message.
     *
     * <pre>{@code
     * assertTrue(proxy.awaitConnections(2, timeout), "no reconnection through " + proxy);
     * }</pre>
     */
    @Override
    public String toString() {
        return "FaultProxy[" + LOOPBACK + ":" + port() + " -> " + targetHost + ":" + targetPort
                + ", connections=" + connectionCount() + ", active=" + activeConnections()
                + ", refused=" + refused.get() + faults.describe() + (closed.get() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------- plumbing

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (faults.refusesNew() || closed.get()) {
                refused.incrementAndGet();
                ProxyConnection.abort(client);
                continue;
            }
            Faults.ByteLimits limits = faults.byteLimits();
            // Live before awaitConnections sees it, so that a cutAll() after that wait cuts it.
            ProxyConnection connection = recordings.add(index -> {
                ProxyConnection made = new ProxyConnection(shared, index, client, limits, recordings.recordsNew());
                live.add(made);
                return made;
            });
            connection.start();
        }
    }
}
