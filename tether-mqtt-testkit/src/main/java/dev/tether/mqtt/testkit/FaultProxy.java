package dev.tether.mqtt.testkit;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final int QUEUED_CHUNKS = 64; // 1 MiB per direction at most
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A throttled writer writes at most this fraction of a second's bytes at once. */
    private static final int THROTTLE_SLICES_PER_SECOND = 20;

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final String threadPrefix;

    /** Guards the connection list, the recordings, and the waits on faults and progress. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a fault changes: writers re-check whether they may write. */
    private final Condition faultsChanged = lock.newCondition();
    /** Signalled on new connections and on bytes forwarded in a recorded direction. */
    private final Condition progressed = lock.newCondition();

    // The faults: written under the lock (so that waiting writers see the change), read anywhere.
    private volatile boolean refuseNew;
    private volatile long delayNanos;
    private volatile long bytesPerSecond;
    private volatile boolean blackhole;
    private volatile long closeAfterClientBytes = -1;
    private volatile long closeAfterServerBytes = -1;
    private volatile boolean record;

    private final List<Connection> connections = new ArrayList<>(); // guarded by lock
    private long recordBudget = RECORD_LIMIT; // guarded by lock
    private boolean recordingTruncated; // guarded by lock
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.threadPrefix = "fault-proxy-" + server.getLocalPort();
        this.acceptor = newThread(threadPrefix + "-accept", this::acceptLoop);
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
        for (Connection connection : List.copyOf(live)) {
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
        setFault(() -> refuseNew = refuse);
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
        setFault(() -> delayNanos = nanos);
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
        setFault(() -> this.bytesPerSecond = bytesPerSecond);
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
        setFault(() -> blackhole = on);
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
        setFault(() -> closeAfterClientBytes = n);
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
        setFault(() -> closeAfterServerBytes = n);
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
        setFault(() -> {
            refuseNew = false;
            delayNanos = 0;
            bytesPerSecond = 0;
            blackhole = false;
            closeAfterClientBytes = -1;
            closeAfterServerBytes = -1;
        });
        return this;
    }

    private void setFault(Runnable change) {
        lock.lock();
        try {
            change.run();
            faultsChanged.signalAll();
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            return connections.size();
        } finally {
            lock.unlock();
        }
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
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (connections.size() < n) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = progressed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
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
        record = on;
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
        return recorded(connectionIndex, true);
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
        return recorded(connectionIndex, false);
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
        lock.lock();
        try {
            return recordingTruncated;
        } finally {
            lock.unlock();
        }
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
        return awaitForwarded(bytes, timeout, false);
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
        return awaitForwarded(bytes, timeout, true);
    }

    private byte[] recorded(int connectionIndex, boolean fromClient) {
        lock.lock();
        try {
            if (connectionIndex < 0 || connectionIndex >= connections.size()) {
                throw new IndexOutOfBoundsException("connection " + connectionIndex + " of "
                        + connections.size() + " accepted so far");
            }
            Connection connection = connections.get(connectionIndex);
            Recording recording = (fromClient ? connection.upstream : connection.downstream).recording;
            if (recording == null) {
                throw new IllegalStateException("connection " + connectionIndex
                        + " was accepted while recording was off: call record(true) before the client connects");
            }
            return Arrays.copyOf(recording.bytes, recording.length);
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitForwarded(byte[] wanted, Duration timeout, boolean fromClient)
            throws InterruptedException {
        long remaining = timeout.toNanos();
        int[] searched = new int[0]; // per connection: where the next search starts
        lock.lock();
        try {
            while (true) {
                boolean anyRecorded = false;
                if (searched.length < connections.size()) {
                    searched = Arrays.copyOf(searched, connections.size());
                }
                for (int i = 0; i < connections.size(); i++) {
                    Connection connection = connections.get(i);
                    Direction direction = fromClient ? connection.upstream : connection.downstream;
                    if (direction.recording != null) {
                        anyRecorded = true;
                        int forwarded = (int) Math.min(direction.recording.length, direction.forwarded);
                        if (indexOf(direction.recording.bytes, searched[i], forwarded, wanted) >= 0) {
                            return true;
                        }
                        searched[i] = Math.max(searched[i], forwarded - wanted.length + 1);
                    }
                }
                if (!anyRecorded && !record) {
                    throw new IllegalStateException("nothing recorded: call record(true) before the client connects");
                }
                if (remaining <= 0) {
                    return false;
                }
                remaining = progressed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    private static int indexOf(byte[] haystack, int from, int length, byte[] needle) {
        outer:
        for (int i = from; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
            join(acceptor, deadline);
            cutAll();
            while (!threads.isEmpty() && deadline - System.nanoTime() > 0) {
                for (Thread thread : List.copyOf(threads)) {
                    join(thread, deadline);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread, long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining > 0) {
            thread.join(Duration.ofNanos(remaining));
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
                + ", refused=" + refused.get()
                + (refuseNew ? ", refuseNew" : "")
                + (delayNanos > 0 ? ", delay=" + Duration.ofNanos(delayNanos) : "")
                + (bytesPerSecond > 0 ? ", throttle=" + bytesPerSecond + " B/s" : "")
                + (blackhole ? ", blackhole" : "")
                + (closeAfterClientBytes >= 0 ? ", closeAfterBytes=" + closeAfterClientBytes : "")
                + (closeAfterServerBytes >= 0 ? ", closeAfterServerBytes=" + closeAfterServerBytes : "")
                + (closed.get() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------- plumbing

    /** A virtual thread, not started, that the proxy tracks until it ends. */
    private Thread newThread(String name, Runnable task) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                task.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        return thread;
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refuseNew || closed.get()) {
                refused.incrementAndGet();
                abort(client);
                continue;
            }
            Connection connection;
            lock.lock();
            try {
                connection = new Connection(connections.size(), client, record);
                connections.add(connection);
                live.add(connection);
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
            connection.start();
        }
    }

    /** Reserves up to {@code wanted} bytes of the record budget; guarded by lock. */
    private int reserveRecordBytes(int wanted) {
        int granted = (int) Math.min(wanted, recordBudget);
        recordBudget -= granted;
        if (granted < wanted) {
            recordingTruncated = true;
        }
        return granted;
    }

    /** Waits until a chunk read at {@code readAt} may be written; returns the time it may. */
    private long awaitTurn(long readAt, long nextFree) throws InterruptedException {
        if (!blackhole && delayNanos == 0 && bytesPerSecond == 0) {
            return System.nanoTime();
        }
        lock.lock();
        try {
            while (true) {
                if (blackhole) {
                    faultsChanged.await();
                    continue;
                }
                long now = System.nanoTime();
                long wait = readAt + delayNanos - now;
                if (bytesPerSecond > 0) {
                    wait = Math.max(wait, nextFree - now);
                }
                if (wait <= 0) {
                    return now;
                }
                faultsChanged.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void abort(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // Closing anyway.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    /** Bytes as read, or the end of a direction: {@code data == null}, a reset if {@code reset}. */
    private record Chunk(byte[] data, long readAt, boolean reset) {
    }

    /** What one side sent on a recorded connection; guarded by lock. */
    private static final class Recording {
        byte[] bytes = new byte[4096];
        int length;

        void append(byte[] data, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + count, Math.min(2 * bytes.length, RECORD_LIMIT)));
            }
            System.arraycopy(data, 0, bytes, length, count);
            length += count;
        }
    }

    /** One direction of a connection: a reader queues chunks, a writer passes them on. */
    private static final class Direction {
        final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        final long closeAfter; // < 0: never
        final Recording recording; // null: not recorded
        volatile long forwarded; // written by the writer only

        Direction(long closeAfter, boolean recorded) {
            this.closeAfter = closeAfter;
            this.recording = recorded ? new Recording() : null;
        }
    }

    private final class Connection {
        final int index;
        final Socket client;
        final Direction upstream; // client to server
        final Direction downstream; // server to client
        final AtomicInteger finishedDirections = new AtomicInteger();
        private final ReentrantLock connectionLock = new ReentrantLock();
        private final List<Thread> workers = new ArrayList<>(5); // guarded by connectionLock
        private Socket server; // guarded by connectionLock
        private boolean ended; // guarded by connectionLock

        Connection(int index, Socket client, boolean recorded) {
            this.index = index;
            this.client = client;
            this.upstream = new Direction(closeAfterClientBytes, recorded);
            this.downstream = new Direction(closeAfterServerBytes, recorded);
        }

        private String name(String role) {
            return threadPrefix + "-" + index + "-" + role;
        }

        void start() {
            connectionLock.lock();
            try {
                Thread opener = newThread(name("connect"), this::open);
                workers.add(opener);
                opener.start();
            } finally {
                connectionLock.unlock();
            }
        }

        /** Connects to the server, then starts the reader and writer of each direction. */
        private void open() {
            Socket socket = new Socket();
            try {
                client.setTcpNoDelay(true);
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                abort(socket);
                end(true, true);
                return;
            }
            connectionLock.lock();
            try {
                if (ended) {
                    abort(socket);
                    return;
                }
                server = socket;
                if (upstream.closeAfter != 0 && downstream.closeAfter != 0) {
                    startWorker("client-read", () -> read(client, upstream));
                    startWorker("server-write", () -> write(socket, upstream, true));
                    startWorker("server-read", () -> read(socket, downstream));
                    startWorker("client-write", () -> write(client, downstream, false));
                    return;
                }
            } finally {
                connectionLock.unlock();
            }
            // A byte limit of 0: cut before any byte.
            end(upstream.closeAfter != 0, downstream.closeAfter != 0);
        }

        private void startWorker(String role, Runnable task) {
            Thread thread = newThread(name(role), task);
            workers.add(thread);
            thread.start();
        }

        private void read(Socket from, Direction direction) {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                // Not closed by try-with-resources: that would close the socket.
                InputStream in = from.getInputStream();
                while (true) {
                    int count = in.read(buffer);
                    long readAt = System.nanoTime();
                    if (count < 0) {
                        direction.queue.put(new Chunk(null, readAt, false));
                        return;
                    }
                    byte[] data = Arrays.copyOf(buffer, count);
                    if (direction.recording != null) {
                        lock.lock();
                        try {
                            direction.recording.append(data, reserveRecordBytes(count));
                        } finally {
                            lock.unlock();
                        }
                    }
                    direction.queue.put(new Chunk(data, readAt, false));
                }
            } catch (IOException e) {
                if (!isEnded()) {
                    try {
                        // A reset from one side: passed on to the other after what came before it.
                        direction.queue.put(new Chunk(null, System.nanoTime(), true));
                    } catch (InterruptedException interrupted) {
                        // Ended meanwhile.
                    }
                }
            } catch (InterruptedException e) {
                // Ended.
            }
        }

        private void write(Socket to, Direction direction, boolean toServer) {
            long nextFree = System.nanoTime();
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = direction.queue.take();
                    if (chunk.data() == null) {
                        awaitTurn(chunk.readAt(), nextFree);
                        if (chunk.reset()) {
                            end(true, true);
                        } else {
                            to.shutdownOutput();
                            if (finishedDirections.incrementAndGet() == 2) {
                                end(false, false);
                            }
                        }
                        return;
                    }
                    byte[] data = chunk.data();
                    int offset = 0;
                    while (offset < data.length) {
                        long now = awaitTurn(chunk.readAt(), nextFree);
                        long rate = bytesPerSecond;
                        int count = data.length - offset;
                        if (rate > 0) {
                            count = (int) Math.min(count, Math.max(1, rate / THROTTLE_SLICES_PER_SECOND));
                        }
                        if (direction.closeAfter >= 0) {
                            count = (int) Math.min(count, direction.closeAfter - direction.forwarded);
                        }
                        out.write(data, offset, count);
                        offset += count;
                        forwarded(direction, count);
                        if (rate > 0) {
                            long start = nextFree - now > 0 ? nextFree : now;
                            nextFree = start + count * 1_000_000_000L / rate;
                        }
                        if (direction.closeAfter >= 0 && direction.forwarded >= direction.closeAfter) {
                            // The side that got its bytes is closed in order, so none is lost.
                            end(toServer, !toServer);
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                end(true, true);
            } catch (InterruptedException e) {
                // Ended.
            }
        }

        private void forwarded(Direction direction, int count) {
            direction.forwarded += count; // one writer per direction
            if (direction.recording != null) {
                lock.lock();
                try {
                    progressed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        private boolean isEnded() {
            connectionLock.lock();
            try {
                return ended;
            } finally {
                connectionLock.unlock();
            }
        }

        /**
         * Ends the connection: closes both sockets, each reset or in order, and stops the other
         * workers.
         *
         * @return false if it had ended already
         */
        boolean end(boolean resetClient, boolean resetServer) {
            connectionLock.lock();
            try {
                if (ended) {
                    return false;
                }
                ended = true;
                close(client, resetClient);
                if (server != null) {
                    close(server, resetServer);
                }
                Thread self = Thread.currentThread();
                for (Thread worker : workers) {
                    if (worker != self) {
                        worker.interrupt();
                    }
                }
            } finally {
                connectionLock.unlock();
            }
            live.remove(this);
            return true;
        }

        private static void close(Socket socket, boolean reset) {
            if (reset) {
                abort(socket);
                return;
            }
            try {
                socket.shutdownOutput(); // a FIN after the bytes still on their way
            } catch (IOException e) {
                // Closing anyway.
            }
            closeQuietly(socket);
        }
    }
}
