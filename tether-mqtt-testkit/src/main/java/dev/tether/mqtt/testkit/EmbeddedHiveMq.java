package dev.tether.mqtt.testkit;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * HiveMQ Community Edition running inside the test JVM, listening on a free loopback port,
 * with in-memory persistence and its configuration, data and extensions in a temporary folder.
 * It queues up to {@link MqttBroker#MAX_QUEUED_MESSAGES} messages per client.
 *
 * <p>It starts in one to two seconds and stops in about four, so most tests share one instance
 * per JVM through {@link #shared()}; a test that needs a fresh broker calls {@link #start()} and
 * closes it.
 *
 * <pre>{@code
 * MqttBroker broker = EmbeddedHiveMq.shared();
 * try (Socket socket = new Socket(broker.host(), broker.port())) { ... }
 * }</pre>
 */
public final class EmbeddedHiveMq implements MqttBroker {

    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final int START_ATTEMPTS = 3;

    private static final ReentrantLock SHARED_LOCK = new ReentrantLock();
    private static EmbeddedHiveMq shared;

    private final EmbeddedHiveMQ hivemq;
    private final Path home;
    private final int port;
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closed;

    private EmbeddedHiveMq(EmbeddedHiveMQ hivemq, Path home, int port) {
        this.hivemq = hivemq;
        this.home = home;
        this.port = port;
    }

    /**
     * Returns the broker shared by every test of this JVM, starting it on first use; it is
     * stopped when the JVM exits. Closing it is a no-op.
     */
    public static MqttBroker shared() {
        SHARED_LOCK.lock();
        try {
            if (shared == null) {
                EmbeddedHiveMq broker = start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "hivemq-shared-stop"));
                shared = broker;
            }
            return new SharedBroker(shared);
        } finally {
            SHARED_LOCK.unlock();
        }
    }

    /** Starts a fresh broker that the caller owns and must close. */
    public static EmbeddedHiveMq start() {
        return FreshPortRetry.start(START_ATTEMPTS, port -> {
            Path home = TempFolder.create("tether-hivemq-");
            try {
                return startOn(home, port);
            } catch (RuntimeException e) {
                TempFolder.deleteRecursively(home);
                throw e;
            }
        });
    }

    private static EmbeddedHiveMq startOn(Path home, int port) {
        Path conf = home.resolve("conf");
        Path data = home.resolve("data");
        Path extensions = home.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(port));
            Files.writeString(conf.resolve("logback.xml"), LOGBACK_XML);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HiveMQ configuration in " + home, e);
        }
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .build();
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(hivemq);
            throw new IllegalStateException("interrupted while starting HiveMQ", e);
        } catch (ExecutionException | TimeoutException e) {
            stopQuietly(hivemq);
            throw new IllegalStateException("HiveMQ did not start on port " + port, e);
        }
        return new EmbeddedHiveMq(hivemq, home, port);
    }

    private static String configXml(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                        </queued-messages>
                    </mqtt>
                </hivemq>
                """.formatted(port, InetAddress.getLoopbackAddress().getHostAddress(), MqttBroker.MAX_QUEUED_MESSAGES);
    }

    /** HiveMQ logs at INFO by default; tests want its warnings only. */
    private static final String LOGBACK_XML = """
            <configuration scan="false">
                <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>hivemq %-5level %msg%n%ex</pattern></encoder>
                </appender>
                <root level="WARN"><appender-ref ref="CONSOLE"/></root>
                <logger name="jetbrains.exodus" level="ERROR"/>
                <logger name="oshi" level="ERROR"/>
            </configuration>
            """;

    private static void stopQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Already failing; the original error is the one to report.
        }
    }

    @Override
    public String name() {
        return "hivemq-ce";
    }

    @Override
    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    @Override
    public int port() {
        return port;
    }

    /** HiveMQ logs to the console of the test JVM (warnings only); nothing is kept here. */
    @Override
    public String log() {
        return "";
    }

    @Override
    public void close() {
        closeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // close() also ends HiveMQ's non-daemon state-change thread, which would keep the JVM alive.
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping HiveMQ", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("HiveMQ did not stop within " + STOP_TIMEOUT_SECONDS + " s", e);
        } finally {
            TempFolder.deleteRecursively(home);
            closeLock.unlock();
        }
    }

    /** The JVM-wide instance as handed to tests: closing it leaves the broker running. */
    private record SharedBroker(EmbeddedHiveMq broker) implements MqttBroker {
        @Override
        public String name() {
            return broker.name();
        }

        @Override
        public String host() {
            return broker.host();
        }

        @Override
        public int port() {
            return broker.port();
        }

        @Override
        public String log() {
            return broker.log();
        }

        @Override
        public void close() {
            // Shared by every test of the JVM; the shutdown hook stops it.
        }
    }
}
