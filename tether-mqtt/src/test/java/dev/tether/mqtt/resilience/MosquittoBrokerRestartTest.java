package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.BitSet;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mosquitto with a persistence file is killed with SIGKILL and started again on its port; both
 * clients reconnect by themselves, find their sessions, and the subscriber gets every message the
 * broker acknowledged and saved before it died. Mosquitto only: the embedded HiveMQ keeps its
 * sessions in memory.
 *
 * <p>What is asserted end to end is limited to what the broker can promise after a crash: the
 * messages it acknowledged to the publisher <em>and</em> wrote to its persistence file. The test
 * waits until the saved file holds the last message of the batch (a save writes the whole
 * database, so the earlier ones are in it too) before killing the broker. The subscriber takes no
 * message before the kill, so the saved state and the subscriber agree that none was delivered:
 * QoS 1 may arrive twice (the client may have buffered a copy before the crash, and the broker
 * sends it again), QoS 2 must arrive exactly once.
 */
@Tag("interop")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MosquittoBrokerRestartTest {

    static final int BEFORE = 300;
    static final int AFTER = 50;
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Backoff FAST = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(200));

    record Stamped(long nanos, ConnectionEvent event) {
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"V3_1_1, AT_LEAST_ONCE", "V3_1_1, EXACTLY_ONCE", "V5, AT_LEAST_ONCE", "V5, EXACTLY_ONCE"})
    void deliversEverySavedMessageAfterTheBrokerIsKilledAndRestarted(ProtocolVersion version, Qos qos) throws Exception {
        Path data = Files.createTempDirectory("tether-mosquitto-data-");
        String run = UUID.randomUUID().toString();
        String topic = "tether-test/restart/" + run;
        // Run as root, Mosquitto switches to the user "mosquitto" unless told otherwise, and that
        // user cannot write to a folder of ours; as any other user, "user" has no effect.
        String config = String.join("\n", "persistence true", "persistence_location " + data + "/",
                "autosave_interval 1", "autosave_on_changes true", "user " + System.getProperty("user.name"));
        try (MosquittoBroker broker = MosquittoBroker.start(config)) {
            try {
                restartUnderClients(broker, version, qos, run, topic, data);
            } catch (AssertionError | Exception e) {
                System.err.printf("--- mosquitto log ---%n%s--- end of mosquitto log ---%n", broker.log());
                throw e;
            }
        } finally {
            deleteRecursively(data);
        }
    }

    private static void restartUnderClients(MosquittoBroker broker, ProtocolVersion version, Qos qos, String run,
                                            String topic, Path data) throws Exception {
        // Mosquitto 2.0 counts a message towards autosave_on_changes only when it queues it, not
        // when it sends it at once within the subscriber's in-flight window. With MQTT 5 the window
        // is the client's Receive Maximum (by default 1000 here): a small one keeps most of the
        // batch queued, so saves follow the publishes. (MQTT 3.1.1 gets max_inflight_messages, 20.)
        MqttClientBuilder subscriberBuilder = persistent(broker, version, "sub");
        if (version == ProtocolVersion.V5) {
            subscriberBuilder.receiveMaximum(10);
        }
        try (MqttClient subscriber = subscriberBuilder.connect();
             Subscription subscription = subscriber.subscribe(topic, qos);
             MqttClient publisher = persistent(broker, version, "pub").connect()) {
            BlockingQueue<Stamped> subscriberEvents = record(subscriber);
            BlockingQueue<Stamped> publisherEvents = record(publisher);

            for (int seq = 0; seq < BEFORE; seq++) {
                publisher.publish(topic, payload(run, seq), qos); // returns once acknowledged (PUBACK, PUBCOMP)
            }
            Path db = data.resolve("mosquitto.db");
            awaitSavedContaining(data, db, payload(run, BEFORE - 1));

            ProcessHandle process = ProcessHandle.of(broker.pid()).orElseThrow();
            assertTrue(process.destroyForcibly(), "SIGKILL sent");
            long killedAt = System.nanoTime();
            process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            broker.restart();

            ConnectionEvent.Connected subscriberBack = nextConnected(subscriberEvents);
            ConnectionEvent.Connected publisherBack = nextConnected(publisherEvents);
            long backAt = System.nanoTime();
            assertTrue(subscriberBack.reconnect() && subscriberBack.result().sessionPresent(),
                    "the subscriber's session survived the restart: " + subscriberBack);
            assertTrue(publisherBack.reconnect() && publisherBack.result().sessionPresent(),
                    "the publisher's session survived the restart: " + publisherBack);

            for (int seq = BEFORE; seq < BEFORE + AFTER; seq++) {
                publisher.publish(topic, payload(run, seq), qos);
            }
            int total = BEFORE + AFTER;
            BitSet seen = new BitSet(total);
            int duplicates = 0;
            while (seen.cardinality() < total) {
                MqttMessage message = subscription.receive(WAIT);
                assertNotNull(message, "no message for " + WAIT + " with " + seen.cardinality() + " of " + total
                        + " received; first missing " + seen.nextClearBit(0));
                int seq = sequence(run, message);
                if (seen.get(seq)) {
                    duplicates++;
                }
                seen.set(seq);
            }
            MqttMessage late;
            while ((late = subscription.receive(Duration.ofMillis(500))) != null) {
                sequence(run, late);
                duplicates++;
            }
            System.out.printf("RESILIENCE: broker-restart broker=mosquitto protocol=%s qos=%d savedBeforeKill=%d"
                            + " afterRestart=%d killToBothConnectedMs=%d lost=%d duplicates=%d qos2Duplicates=%d%n",
                    version, qos.code(), BEFORE, AFTER, (backAt - killedAt) / 1_000_000, total - seen.cardinality(),
                    duplicates, qos == Qos.EXACTLY_ONCE ? duplicates : 0);
            if (qos == Qos.EXACTLY_ONCE) {
                assertEquals(0, duplicates, "QoS 2 messages delivered more than once");
            }
        }
    }

    static MqttClientBuilder persistent(MosquittoBroker broker, ProtocolVersion version, String name) {
        MqttClientBuilder builder = MqttClient.newBuilder().host(broker.host()).port(broker.port()).protocol(version)
                .reconnect(FAST).identifier("tether-restart-" + name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }

    static BlockingQueue<Stamped> record(MqttClient client) {
        BlockingQueue<Stamped> events = new LinkedBlockingQueue<>();
        client.addConnectionListener(event -> events.add(new Stamped(System.nanoTime(), event)));
        return events;
    }

    static ConnectionEvent.Connected nextConnected(BlockingQueue<Stamped> events) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Stamped stamped = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(stamped, "not connected again within " + WAIT + " of the restart");
            if (stamped.event() instanceof ConnectionEvent.Connected connected) {
                return connected;
            }
        }
    }

    static String payload(String run, int seq) {
        return run + "/" + seq;
    }

    static int sequence(String run, MqttMessage message) {
        String text = message.payloadAsString();
        assertTrue(text.startsWith(run + "/"), "a message of another run: " + text);
        return Integer.parseInt(text.substring(run.length() + 1));
    }

    /**
     * Waits until Mosquitto's persistence file holds {@code payload}: a save after that message
     * was stored. Mosquitto writes the whole database to a new file and renames it, so each save
     * shows up as a change in the folder.
     */
    static void awaitSavedContaining(Path folder, Path db, String payload) throws IOException, InterruptedException {
        byte[] wanted = payload.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (!contains(db, wanted)) {
                long remaining = deadline - System.nanoTime();
                assertTrue(remaining > 0, "Mosquitto did not save the last acknowledged message within " + WAIT);
                // Re-checks at least every 100 ms, in case an event was missed between the check and the poll.
                WatchKey key = watcher.poll(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    static boolean contains(Path file, byte[] wanted) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        outer:
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
