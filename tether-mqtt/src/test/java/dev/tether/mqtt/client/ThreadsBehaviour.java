package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.FaultProxy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A closed client leaves no thread behind, however its connection ended. The client's threads are
 * virtual, which {@code Thread.getAllStackTraces()} and {@code ThreadMXBean} do not list, so this
 * reads a full thread dump. Each client connects through its own {@link FaultProxy}, so its thread
 * names ({@code tether-reader-127.0.0.1:<port>}) are its own.
 */
abstract class ThreadsBehaviour extends BrokerBehaviour {

    static String threadDump() throws IOException {
        Path folder = Files.createTempDirectory("tether-threads");
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

    /**
     * Asserts the client's threads run while it is connected, and none is left once {@code end}
     * closed it. A keep-alive long enough that the broker cannot time the connection out while a
     * full thread dump of a loaded JVM runs, unless the case needs the keep-alive to end it.
     */
    void assertNoThreadLeftAfter(ProtocolVersion version, End end) throws Exception {
        assertNoThreadLeftAfter(version, Duration.ofSeconds(10), end);
    }

    void assertNoThreadLeftAfter(ProtocolVersion version, Duration keepAlive, End end) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port())) {
            String names = "tether-reader-" + proxy.host() + ":" + proxy.port();
            MqttClient client = builder(version).reconnect(false).host(proxy.host()).port(proxy.port())
                    .keepAlive(keepAlive).connect();
            try {
                assertTrue(threadDump().contains(names), "the dump shows the client's reader thread");
                end.run(client, proxy);
            } finally {
                client.close();
            }
            String dump = threadDump();
            assertFalse(dump.contains(proxy.host() + ":" + proxy.port()), "threads left:\n" + dump);
        }
    }

    interface End {
        void run(MqttClient client, FaultProxy proxy) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void noThreadIsLeftAfterClose(ProtocolVersion version) throws Exception {
        assertNoThreadLeftAfter(version, (client, proxy) -> {
            try (Subscription subscription = client.subscribe(uniqueTopic("threads"), Qos.AT_LEAST_ONCE)) {
                client.publish(uniqueTopic("threads"), "x", Qos.AT_LEAST_ONCE);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void noThreadIsLeftAfterTheConnectionWasLost(ProtocolVersion version) throws Exception {
        assertNoThreadLeftAfter(version, (client, proxy) -> {
            Subscription subscription = client.subscribe(uniqueTopic("threads"), Qos.AT_LEAST_ONCE);
            proxy.cutAll();
            assertThrows(MqttException.class, () -> subscription.receive(WAIT));
        });
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void noThreadIsLeftAfterTheBrokerWentSilent(ProtocolVersion version) throws Exception {
        // The keep-alive finds the silence out: about 3 s, well within WAIT.
        assertNoThreadLeftAfter(version, Duration.ofSeconds(2), (client, proxy) -> {
            Subscription subscription = client.subscribe(uniqueTopic("threads"), Qos.AT_LEAST_ONCE);
            proxy.blackhole(true);
            assertThrows(MqttException.class, () -> subscription.receive(WAIT));
        });
    }
}
