package dev.tether.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fresh Mosquitto process on a free loopback port, one per measured run.
 *
 * <p>Not the testkit's {@code MosquittoBroker}: that one logs every packet ({@code log_type all})
 * and keeps the log in the test JVM's heap, which would slow the broker down and fill the heap
 * being measured. This one logs errors, warnings, notices and information (a few lines per connection, none per message), keeps the
 * last 50 lines for error messages and drops the rest. Configuration: anonymous, no persistence,
 * {@code max_queued_messages 1000000} (nothing dropped for a slow subscriber),
 * {@code max_inflight_messages 100} (see {@link #MAX_INFLIGHT}), everything else Mosquitto's
 * default (among them {@code max_connections -1}: no limit).
 * The broker inherits this JVM's open-file limit ({@code ulimit -n}).
 */
final class Broker implements AutoCloseable {

    /**
     * Mosquitto's in-flight limit, QoS 1/2, each way: its default, 20, is below the harness's
     * window of 100, and Mosquitto 2.0.11 then acknowledges but silently drops QoS 2 messages
     * of MQTT 3.1.1 publishers (which know no receive maximum) past it.
     */
    static final int MAX_INFLIGHT = 100;

    private static final String BINARY = System.getProperty("tether.mosquitto", "/usr/sbin/mosquitto");

    private final Process process;
    private final Path home;
    private final int port;
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    private Broker(Process process, Path home, int port) {
        this.process = process;
        this.home = home;
        this.port = port;
    }

    static Broker start() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOn(freePort());
            } catch (IOException e) {
                last = e; // the port was taken in between: another one
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Broker startOn(int port) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("tether-e2e-mosquitto-");
        Path config = home.resolve("mosquitto.conf");
        Files.writeString(config, """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence false
                log_dest stderr
                log_type error
                log_type warning
                log_type notice
                log_type information
                max_queued_messages 1000000
                max_inflight_messages %d
                """.formatted(port, MAX_INFLIGHT));
        Process process = new ProcessBuilder(BINARY, "-c", config.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .start();
        Broker broker = new Broker(process, home, port);
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("mosquitto-log-" + port).start(() -> broker.readLog(ready));
        if (!ready.await(20, TimeUnit.SECONDS) || !process.isAlive()) {
            broker.close();
            throw new IOException("mosquitto did not start on port " + port + ": " + broker.log());
        }
        return broker;
    }

    private void readLog(CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (tail) {
                    if (tail.size() == 50) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                if (line.endsWith(" running")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            ready.countDown();
        }
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return port;
    }

    String log() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
