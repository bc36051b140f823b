package dev.tether.mqtt.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FaultProxy} between plain sockets and an echo server. */
@Timeout(60)
class FaultProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a test waits to see that nothing comes: long enough for loopback, short enough to run often. */
    private static final int SILENCE_MILLIS = 300;

    private final EchoServer echo = new EchoServer();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        echo.close();
    }

    private FaultProxy startProxy() {
        return FaultProxy.start("127.0.0.1", echo.port());
    }

    private Socket connect(FaultProxy proxy) throws IOException {
        Socket socket = new Socket(proxy.host(), proxy.port());
        sockets.add(socket);
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static byte[] roundTrip(Socket socket, byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        byte[] echoed = socket.getInputStream().readNBytes(bytes.length);
        assertArrayEquals(bytes, echoed, "the echo of what was sent");
        return echoed;
    }

    /**
     * Reads until the connection ends, by an orderly close or a reset, and returns what came before
     * the end; fails if it does not end within the socket's timeout.
     */
    private static byte[] readUntilEnd(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = socket.getInputStream();
        try {
            int count;
            while ((count = in.read(buffer)) >= 0) {
                received.write(buffer, 0, count);
            }
        } catch (SocketTimeoutException e) {
            fail("the connection did not end; received " + received.size() + " bytes", e);
        } catch (IOException e) {
            // Reset: an end too.
        }
        return received.toByteArray();
    }

    /** Asserts that nothing arrives on the socket for a while (and leaves it usable). */
    private static void assertSilent(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(SILENCE_MILLIS);
        try {
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                    "nothing gets through");
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static byte[] randomBytes(int count, long seed) {
        byte[] bytes = new byte[count];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void listensOnLoopbackAndNamesItsAddress() {
        try (FaultProxy proxy = startProxy()) {
            assertEquals("127.0.0.1", proxy.host());
            assertTrue(proxy.port() > 0);
            assertEquals("mqtt://127.0.0.1:" + proxy.port(), proxy.uri());
        }
    }

    @Test
    void forwardsBothWaysOnEachConnection() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            assertFalse(proxy.awaitConnections(1, Duration.ofMillis(1)), "no connection yet");
            Socket first = connect(proxy);
            Socket second = connect(proxy);
            assertTrue(proxy.awaitConnections(2, WAIT));
            roundTrip(first, "first".getBytes(US_ASCII));
            roundTrip(second, "second".getBytes(US_ASCII));
            roundTrip(first, "first again".getBytes(US_ASCII));

            // More than the proxy's queues and the sockets' buffers hold: written while read.
            byte[] large = randomBytes(4 << 20, 1);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    first.getOutputStream().write(large);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, command -> Thread.ofVirtual().start(command));
            assertArrayEquals(large, first.getInputStream().readNBytes(large.length));
            writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEquals(2, proxy.connectionCount());
            assertEquals(2, proxy.activeConnections());
            assertEquals(2, echo.accepted());
        }
    }

    @Test
    void passesOnTheEndOfAConnectionInBothDirections() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            Socket socket = connect(proxy);
            socket.getOutputStream().write("bye".getBytes(US_ASCII));
            socket.shutdownOutput(); // the echo server closes when its input ends
            assertArrayEquals("bye".getBytes(US_ASCII), readUntilEnd(socket));
            assertArrayEquals("bye".getBytes(US_ASCII), echo.received(0).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void cutAllEndsEveryOpenConnectionAndStillAcceptsNewOnes() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            Socket first = connect(proxy);
            Socket second = connect(proxy);
            roundTrip(first, "a".getBytes(US_ASCII));
            roundTrip(second, "b".getBytes(US_ASCII));

            assertEquals(2, proxy.cutAll());

            assertEquals(0, readUntilEnd(first).length);
            assertEquals(0, readUntilEnd(second).length);
            echo.received(0).get(WAIT.toSeconds(), TimeUnit.SECONDS); // the server's side ended too
            echo.received(1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, proxy.activeConnections());
            assertEquals(0, proxy.cutAll(), "nothing left to cut");

            Socket third = connect(proxy);
            roundTrip(third, "c".getBytes(US_ASCII));
            assertEquals(3, proxy.connectionCount());
            assertEquals(1, proxy.activeConnections());
        }
    }

    @Test
    void refuseNewEndsNewConnectionsOnly() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            Socket open = connect(proxy);
            roundTrip(open, "open".getBytes(US_ASCII));

            proxy.refuseNew(true);
            Socket refused = connect(proxy);
            assertEquals(0, readUntilEnd(refused).length);
            assertEquals(1, proxy.refusedConnections());
            assertEquals(1, proxy.connectionCount(), "a refused connection gets no index");
            roundTrip(open, "still open".getBytes(US_ASCII));

            proxy.refuseNew(false);
            Socket accepted = connect(proxy);
            roundTrip(accepted, "accepted".getBytes(US_ASCII));
            assertEquals(2, proxy.connectionCount());
            assertEquals(2, echo.accepted(), "the refused connection never reached the server");
        }
    }

    @Test
    void delayAddsLatencyInBothDirections() throws Exception {
        Duration delay = Duration.ofMillis(150);
        try (FaultProxy proxy = startProxy()) {
            Socket socket = connect(proxy);
            roundTrip(socket, "warm-up".getBytes(US_ASCII));

            proxy.delay(delay);
            long start = System.nanoTime();
            roundTrip(socket, "ping".getBytes(US_ASCII));
            long roundTrip = System.nanoTime() - start;
            assertTrue(roundTrip >= 2 * delay.toNanos(),
                    "a round trip passes the proxy twice: " + Duration.ofNanos(roundTrip));

            // Chunks keep their order.
            for (int i = 0; i < 20; i++) {
                socket.getOutputStream().write(("" + (char) ('a' + i)).getBytes(US_ASCII));
            }
            assertEquals("abcdefghijklmnopqrst", new String(socket.getInputStream().readNBytes(20), US_ASCII));

            proxy.heal();
            roundTrip(socket, "pong".getBytes(US_ASCII));
        }
    }

    @Test
    void throttleLimitsTheRate() throws Exception {
        int bytesPerSecond = 40_000;
        byte[] bytes = randomBytes(bytesPerSecond, 2); // a second's worth
        try (FaultProxy proxy = startProxy().throttle(bytesPerSecond)) {
            Socket socket = connect(proxy);
            long start = System.nanoTime();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(bytes);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, command -> Thread.ofVirtual().start(command));
            assertArrayEquals(bytes, socket.getInputStream().readNBytes(bytes.length));
            long elapsed = System.nanoTime() - start;
            writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // The first slice (a twentieth of a second's worth) passes at once.
            long atLeast = TimeUnit.SECONDS.toNanos(1) * (bytes.length - bytesPerSecond / 20) / bytesPerSecond;
            assertTrue(elapsed >= atLeast, "took " + Duration.ofNanos(elapsed) + ", expected at least "
                    + Duration.ofNanos(atLeast));
        }
    }

    @Test
    void blackholeSilencesOpenAndNewConnectionsUntilHealed() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            Socket open = connect(proxy);
            roundTrip(open, "before".getBytes(US_ASCII));

            proxy.blackhole(true);
            open.getOutputStream().write("held".getBytes(US_ASCII));
            assertSilent(open);
            Socket opened = connect(proxy);
            opened.getOutputStream().write("new".getBytes(US_ASCII));
            assertSilent(opened);
            assertTrue(proxy.awaitConnections(2, WAIT));
            assertEquals(2, proxy.activeConnections(), "both stay open");

            proxy.heal();
            Socket healed = connect(proxy);
            roundTrip(healed, "after".getBytes(US_ASCII));
            // What was held goes on where it stopped.
            assertArrayEquals("held".getBytes(US_ASCII), open.getInputStream().readNBytes(4));
            assertArrayEquals("new".getBytes(US_ASCII), opened.getInputStream().readNBytes(3));
        }
    }

    @Test
    void blackholeHoldsTheEndOfAConnectionToo() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            Socket socket = connect(proxy);
            roundTrip(socket, "hello".getBytes(US_ASCII));
            proxy.blackhole(true);
            socket.shutdownOutput();
            CompletableFuture<byte[]> serverSide = echo.received(0);
            assertThrows(TimeoutException.class, () -> serverSide.get(SILENCE_MILLIS, TimeUnit.MILLISECONDS),
                    "the server does not learn that the client is gone");
            proxy.blackhole(false);
            assertArrayEquals("hello".getBytes(US_ASCII), serverSide.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void closeAfterBytesForwardsExactlyThatManyBytesToTheServerThenCuts() throws Exception {
        byte[] bytes = randomBytes(100, 3);
        try (FaultProxy proxy = startProxy().closeAfterBytes(10)) {
            Socket socket = connect(proxy);
            socket.getOutputStream().write(bytes);
            byte[] beforeTheEnd = readUntilEnd(socket);
            assertArrayEquals(Arrays.copyOf(bytes, 10), echo.received(0).get(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the server got the first 10 bytes and then the end of the connection");
            assertTrue(beforeTheEnd.length <= 10, "at most the echo of those: " + beforeTheEnd.length);
            assertArrayEquals(Arrays.copyOf(bytes, beforeTheEnd.length), beforeTheEnd);

            proxy.closeAfterBytes(-1);
            roundTrip(connect(proxy), bytes);
        }
    }

    @Test
    void closeAfterServerBytesForwardsExactlyThatManyBytesToTheClientThenCuts() throws Exception {
        byte[] bytes = randomBytes(20, 4);
        try (FaultProxy proxy = startProxy().closeAfterServerBytes(5)) {
            Socket socket = connect(proxy);
            socket.getOutputStream().write(bytes);
            assertArrayEquals(Arrays.copyOf(bytes, 5), readUntilEnd(socket));
            echo.received(0).get(WAIT.toSeconds(), TimeUnit.SECONDS); // the server's side ended too

            proxy.heal();
            roundTrip(connect(proxy), bytes);
        }
    }

    @Test
    void closeAfterBytesOfZeroCutsBeforeAnyByte() throws Exception {
        try (FaultProxy proxy = startProxy().closeAfterBytes(0)) {
            Socket socket = connect(proxy);
            socket.getOutputStream().write("lost".getBytes(US_ASCII));
            assertEquals(0, readUntilEnd(socket).length);
            assertEquals(0, echo.received(0).get(WAIT.toSeconds(), TimeUnit.SECONDS).length);
        }
    }

    @Test
    void recordsExactlyTheBytesOfEachRecordedConnection() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            Socket unrecorded = connect(proxy);
            roundTrip(unrecorded, "not recorded".getBytes(US_ASCII));

            proxy.record(true);
            Socket first = connect(proxy);
            Socket second = connect(proxy);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (byte[] bytes : List.of("one".getBytes(US_ASCII), randomBytes(100_000, 5), "two".getBytes(US_ASCII))) {
                roundTrip(first, bytes);
                sent.write(bytes);
            }
            roundTrip(second, "other".getBytes(US_ASCII));

            assertArrayEquals(sent.toByteArray(), proxy.clientBytes(1));
            assertArrayEquals(sent.toByteArray(), proxy.serverBytes(1), "what the echo server sent back");
            assertArrayEquals("other".getBytes(US_ASCII), proxy.clientBytes(2));
            assertArrayEquals("other".getBytes(US_ASCII), proxy.serverBytes(2));
            assertThrows(IllegalStateException.class, () -> proxy.clientBytes(0), "accepted before record(true)");
            assertThrows(IndexOutOfBoundsException.class, () -> proxy.serverBytes(3));
            assertFalse(proxy.recordingTruncated());

            proxy.record(false); // stops recording new connections only
            roundTrip(first, "three".getBytes(US_ASCII));
            sent.write("three".getBytes(US_ASCII));
            assertArrayEquals(sent.toByteArray(), proxy.clientBytes(1));
            roundTrip(connect(proxy), "x".getBytes(US_ASCII));
            assertThrows(IllegalStateException.class, () -> proxy.clientBytes(3));
        }
    }

    @Test
    void recordsWhatTheClientSentEvenWhenItWasNotForwarded() throws Exception {
        try (FaultProxy proxy = startProxy().record(true).blackhole(true)) {
            Socket socket = connect(proxy);
            socket.getOutputStream().write("stuck".getBytes(US_ASCII));
            assertTrue(proxy.awaitConnections(1, WAIT));
            assertFalse(proxy.awaitClientBytes("stuck".getBytes(US_ASCII), Duration.ofMillis(SILENCE_MILLIS)),
                    "not forwarded");
            // The proxy's reader records what it read; on a loaded machine it may not have read yet.
            Poll.until(WAIT, () -> proxy.clientBytes(0).length >= "stuck".length());
            assertEquals(1, proxy.cutAll());
            assertArrayEquals("stuck".getBytes(US_ASCII), proxy.clientBytes(0));
        }
    }

    @Test
    void awaitServerBytesWaitsUntilTheBytesReachedTheClient() throws Exception {
        try (FaultProxy proxy = startProxy()) {
            assertThrows(IllegalStateException.class, () -> proxy.awaitServerBytes("x", WAIT), "nothing recorded");
            proxy.record(true);
            Socket socket = connect(proxy);
            assertFalse(proxy.awaitServerBytes("hello", Duration.ofMillis(50)));
            CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> {
                try {
                    return proxy.awaitServerBytes("hello", WAIT);
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }, command -> Thread.ofVirtual().start(command));
            socket.getOutputStream().write("say hello".getBytes(US_ASCII));
            assertTrue(awaited.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(proxy.awaitClientBytes("say".getBytes(US_ASCII), WAIT));

            socket.getOutputStream().write("spl".getBytes(US_ASCII));
            assertTrue(proxy.awaitServerBytes("spl", WAIT));
            socket.getOutputStream().write("it".getBytes(US_ASCII));
            assertTrue(proxy.awaitServerBytes("split", WAIT), "found across chunks");
        }
    }

    @Test
    void closeEndsEveryConnectionAndEveryThread() throws Exception {
        FaultProxy proxy = startProxy();
        Socket socket = connect(proxy);
        roundTrip(socket, "x".getBytes(US_ASCII));
        proxy.blackhole(true).delay(Duration.ofMinutes(1)); // the workers wait for something
        socket.getOutputStream().write("y".getBytes(US_ASCII));
        assertTrue(threadDump().contains("fault-proxy-" + proxy.port() + "-0-"), "the dump shows the workers");

        proxy.close();

        assertEquals(0, readUntilEnd(socket).length);
        assertThrows(ConnectException.class, () -> new Socket(proxy.host(), proxy.port()).close());
        String dump = threadDump();
        assertFalse(dump.contains("fault-proxy-" + proxy.port()), "threads left:\n" + dump);
        proxy.close(); // idempotent
    }

    /** A full thread dump: virtual threads are in neither {@code Thread.getAllStackTraces()} nor {@code ThreadMXBean}. */
    private static String threadDump() throws IOException {
        Path folder = Files.createTempDirectory("fault-proxy-threads");
        Path file = folder.resolve("threads.txt");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            return Files.readString(file);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(folder);
        }
    }

    @Nested
    class WithTheExtension {

        @RegisterExtension
        final FaultProxyExtension proxy = FaultProxyExtension.to("127.0.0.1", echo.port());

        @Test
        void givesEachTestAFreshProxy() throws Exception {
            Socket socket = connect(proxy.proxy());
            roundTrip(socket, "hi".getBytes(US_ASCII));
            assertEquals("mqtt://127.0.0.1:" + proxy.port(), proxy.uri());
            assertEquals(proxy.proxy().host(), proxy.host());
            assertEquals(1, proxy.proxy().connectionCount());
        }
    }

    /** Echoes every connection; keeps what each one received until it ended. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server;
        private final Map<Integer, CompletableFuture<byte[]>> received = new ConcurrentHashMap<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread acceptor;

        EchoServer() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            acceptor = Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        /** Completes with all that the server's {@code index}th connection (from 0) received, once it ended. */
        CompletableFuture<byte[]> received(int index) {
            return received.computeIfAbsent(index, i -> new CompletableFuture<>());
        }

        private void acceptLoop() {
            while (true) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return;
                }
                CompletableFuture<byte[]> done = received(accepted.getAndIncrement());
                sockets.add(socket);
                Thread.ofVirtual().name("echo").start(() -> echo(socket, done));
            }
        }

        private static void echo(Socket socket, CompletableFuture<byte[]> done) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (socket) {
                InputStream in = socket.getInputStream();
                int count;
                while ((count = in.read(buffer)) >= 0) {
                    all.write(buffer, 0, count);
                    socket.getOutputStream().write(buffer, 0, count);
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // Reset: ended.
            } finally {
                done.complete(all.toByteArray());
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            try {
                acceptor.join(WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
