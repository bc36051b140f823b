package dev.tether.mqtt.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A Mosquitto process started from a generated configuration on a free loopback port, its log
 * captured in memory, stopped by its PID. It queues up to {@link MqttBroker#MAX_QUEUED_MESSAGES}
 * messages per client.
 *
 * <p>The {@code mosquitto} binary comes from Debian's package of that name. When it is missing,
 * {@link #start()} fails with a message saying what to install: a test that needs Mosquitto never
 * skips silently.
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.start()) {
 *     connectTo(broker.host(), broker.port());
 * }
 * }</pre>
 */
public final class MosquittoBroker implements MqttBroker {

    /** Mosquitto prints this line once its listeners are open; stderr, unlike stdout, is not buffered. */
    private static final String READY_MARKER = " running";
    private static final long START_TIMEOUT_SECONDS = 20;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final int START_ATTEMPTS = 3;
    private static final List<Path> SEARCH_PATH = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"),
            Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/opt/homebrew/sbin"));

    private final Path binary;
    private volatile Process process;
    private final Path home;
    private final int port;
    private final StringBuffer log;
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closed;

    private MosquittoBroker(Path binary, Process process, Path home, int port, StringBuffer log) {
        this.binary = binary;
        this.process = process;
        this.home = home;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Mosquitto with anonymous access and no persistence on a free loopback port.
     *
     * @throws IllegalStateException if the {@code mosquitto} binary is not installed or the
     *     broker does not come up; the message includes its log
     */
    public static MosquittoBroker start() {
        return start("");
    }

    /**
     * Starts Mosquitto with extra configuration lines appended to the generated ones (for
     * example {@code "max_inflight_messages 5"}).
     *
     * @param extraConfig lines of {@code mosquitto.conf}, possibly empty
     */
    public static MosquittoBroker start(String extraConfig) {
        Path binary = findBinary().orElseThrow(MosquittoBroker::notInstalled);
        return FreshPortRetry.start(START_ATTEMPTS, port -> startOn(binary, port, extraConfig));
    }

    /**
     * Starts Mosquitto with extra listeners of the test's own: {@code extraConfig} gets
     * {@code extraPorts} free loopback ports, different from each other and from the broker's
     * port, and returns the configuration lines that use them. When the broker does not come up
     * (another process took a port meanwhile, usually) it is tried again with new ports, and
     * {@code extraConfig} is called again: the ports of the last call are the broker's.
     *
     * <pre>{@code
     * MosquittoBroker broker = MosquittoBroker.start(1, ports -> {
     *     tlsPort = ports[0];
     *     return "listener " + tlsPort + " 127.0.0.1\n" + tlsLines;
     * });
     * }</pre>
     *
     * @param extraPorts how many ports the extra listeners need
     * @param extraConfig the lines of {@code mosquitto.conf} for those ports
     */
    public static MosquittoBroker start(int extraPorts, Function<int[], String> extraConfig) {
        Path binary = findBinary().orElseThrow(MosquittoBroker::notInstalled);
        return FreshPortRetry.startOnPorts(START_ATTEMPTS, 1 + extraPorts, ports -> startOn(binary, ports[0],
                extraConfig.apply(Arrays.copyOfRange(ports, 1, ports.length))));
    }

    private static IllegalStateException notInstalled() {
        return new IllegalStateException("mosquitto is not installed: the interop tests need the 'mosquitto' binary"
                + " from Debian's package 'mosquitto' (apt-get install -y mosquitto), or set tether.mosquitto to its path");
    }

    /** Where the {@code mosquitto} binary is: property {@code tether.mosquitto}, PATH, or the usual folders. */
    static Optional<Path> findBinary() {
        String configured = System.getProperty("tether.mosquitto");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        Stream<Path> fromPath = Stream.of(pathVariable.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of);
        return Stream.concat(fromPath, SEARCH_PATH.stream())
                .map(folder -> folder.resolve("mosquitto"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static MosquittoBroker startOn(Path binary, int port, String extraConfig) {
        Path home = TempFolder.create("tether-mosquitto-");
        Path config = home.resolve("mosquitto.conf");
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        try {
            Files.writeString(config, """
                    listener %d %s
                    allow_anonymous true
                    persistence false
                    log_dest stderr
                    log_type all
                    log_timestamp true
                    max_queued_messages %d
                    %s
                    """.formatted(port, host, MqttBroker.MAX_QUEUED_MESSAGES, extraConfig));
        } catch (IOException e) {
            TempFolder.deleteRecursively(home);
            throw new UncheckedIOException("cannot write " + config, e);
        }

        StringBuffer log = new StringBuffer();
        Process process;
        CountDownLatch ready;
        try {
            ready = new CountDownLatch(1);
            process = launch(binary, config, home, port, log, ready);
        } catch (UncheckedIOException e) {
            TempFolder.deleteRecursively(home);
            throw e;
        }
        MosquittoBroker broker = new MosquittoBroker(binary, process, home, port, log);
        boolean started;
        try {
            started = ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
            throw new IllegalStateException("interrupted while starting mosquitto", e);
        }
        if (!started) {
            broker.close();
            throw new IllegalStateException("mosquitto did not start on port " + port + "; its log:\n" + log);
        }
        return broker;
    }

    /** Starts the process in {@code home}; {@code ready} opens once it listens or has ended. */
    private static Process launch(Path binary, Path config, Path home, int port, StringBuffer log, CountDownLatch ready) {
        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Thread.ofVirtual().name("mosquitto-log-" + port).start(() -> captureLog(process, log, ready));
        return process;
    }

    /**
     * Starts Mosquitto again, on the same port with the same configuration and working folder,
     * once its process has ended: for tests that kill the broker (say {@code kill -9} of
     * {@link #pid()}) and check what survives in its persistence file. Waits up to 10 s for the old
     * process to end and up to 20 s for the new one to listen. The log goes on in the same
     * {@link #log()}; {@link #pid()} is the new process's from then on.
     *
     * <pre>{@code
     * ProcessHandle.of(broker.pid()).orElseThrow().destroyForcibly(); // SIGKILL
     * broker.restart();
     * }</pre>
     *
     * @throws IllegalStateException if the old process is still running, or the new one does not come up
     */
    public void restart() {
        closeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("mosquitto was closed");
            }
            Process old = process;
            if (!old.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mosquitto (pid " + old.pid() + ") is still running: stop it before restart()");
            }
            log.append("--- restarted on port ").append(port).append(" ---\n");
            CountDownLatch ready = new CountDownLatch(1);
            process = launch(binary, home.resolve("mosquitto.conf"), home, port, log, ready);
            if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !process.isAlive()) {
                throw new IllegalStateException("mosquitto did not start again on port " + port + "; its log:\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting mosquitto", e);
        } finally {
            closeLock.unlock();
        }
    }

    private static void captureLog(Process process, StringBuffer log, CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.append(line).append('\n');
                if (line.endsWith(READY_MARKER)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            log.append("(log capture ended: ").append(e.getMessage()).append(")\n");
        } finally {
            // The process ended: nothing more will come, so whoever waits must stop waiting.
            ready.countDown();
        }
    }

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    @Override
    public int port() {
        return port;
    }

    /** The process ID, for tests that stop or pause the broker behind the client's back. */
    public long pid() {
        return process.pid();
    }

    @Override
    public String log() {
        return log.toString();
    }

    @Override
    public void close() {
        closeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
            if (handle != null) {
                handle.destroy();
            }
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            TempFolder.deleteRecursively(home);
            closeLock.unlock();
        }
    }
}
