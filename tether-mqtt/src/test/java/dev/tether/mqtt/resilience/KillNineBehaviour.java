package dev.tether.mqtt.resilience;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MqttBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A publisher with a file session store is killed with SIGKILL in the middle of a stream of
 * numbered messages; a second process with the same identifier and store completes what the
 * first started and publishes the rest. A subscriber that was there all along must get every
 * QoS 1 message whose {@code publishAsync} had returned at least once, and every such QoS 2
 * message exactly once — the promise of {@code SessionStore.file}.
 *
 * <p>The one message whose {@code PUBLISHING} line was printed but not its {@code RETURNED} line
 * was killed inside the call: it may or may not be in the store, so it may arrive once or not at
 * all, and the second process does not publish it again (doing so could make a QoS 2 duplicate
 * that the client cannot know about). Every other number must arrive.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class KillNineBehaviour {

    static final int MESSAGES = 2_000;
    /** RETURNED lines to see before the kill: far enough into the stream, far from its end. */
    static final int KILL_AFTER = 400;
    static final Duration WAIT = Duration.ofSeconds(60);

    abstract MqttBroker broker();

    @TempDir
    Path dir;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtocolVersion version : ProtocolVersion.values()) {
            cases.add(Arguments.of(version, Qos.AT_LEAST_ONCE));
            cases.add(Arguments.of(version, Qos.EXACTLY_ONCE));
        }
        return cases;
    }

    /** The lines a child prints, read by a thread of its own until the pipe ends. */
    private static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AtomicInteger returned = new AtomicInteger();
        final CountDownLatch enoughReturned;
        final Thread reader;

        Child(Process process, int killAfter) {
            this.process = process;
            this.enoughReturned = new CountDownLatch(1);
            this.reader = Thread.ofPlatform().name("child-reader").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                        if (line.startsWith("RETURNED ") && returned.incrementAndGet() >= killAfter) {
                            enoughReturned.countDown();
                        }
                    }
                } catch (IOException e) {
                    lines.add("read failed: " + e);
                }
                enoughReturned.countDown();
            });
        }

        int last(String kind) {
            int last = 0;
            for (String line : lines) {
                if (line.startsWith(kind + " ")) {
                    last = Math.max(last, Integer.parseInt(line.split(" ")[1]));
                }
            }
            return last;
        }

        long count(String kind) {
            return lines.stream().filter(line -> line.startsWith(kind + " ")).count();
        }

        String tail() {
            List<String> all = List.copyOf(lines);
            return String.join(" | ", all.subList(Math.max(0, all.size() - 8), all.size()));
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the child ended: " + tail());
            reader.join(WAIT.toMillis());
            assertFalse(reader.isAlive(), "the pipe ends with the child");
        }
    }

    private Child start(ProtocolVersion version, Qos qos, String identifier, String topic, int first, int killAfter)
            throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PublishingProcess.class.getName(), broker().host(), Integer.toString(broker().port()), version.name(),
                Integer.toString(qos.code()), identifier, dir.toString(), topic, Integer.toString(first),
                Integer.toString(MESSAGES))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new Child(process, killAfter);
    }

    /** {@code 3-5 9}: the numbers as ranges, for a readable failure. */
    static String ranges(List<Integer> numbers) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < numbers.size(); i++) {
            int from = numbers.get(i);
            while (i + 1 < numbers.size() && numbers.get(i + 1) == numbers.get(i) + 1) {
                i++;
            }
            text.append(text.isEmpty() ? "" : " ").append(from).append(from == numbers.get(i) ? "" : "-" + numbers.get(i));
        }
        return text.toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aPublisherKilledMidStreamLosesNothingItReturnedAndDuplicatesNoQos2Message(ProtocolVersion version, Qos qos)
            throws Exception {
        String topic = ReconnectBehaviour.uniqueTopic("kill");
        String identifier = "tether-kill-" + UUID.randomUUID().toString().substring(0, 8);
        int[] deliveries = new int[MESSAGES + 1];
        AtomicInteger unexpected = new AtomicInteger();
        CountDownLatch end = new CountDownLatch(1);
        long started = System.nanoTime();
        try (MqttClient subscriber = ReconnectBehaviour.persistent(MqttClient.newBuilder().host(broker().host())
                     .port(broker().port()).protocol(version), version, "kill-sub").connect();
             Subscription subscription = subscriber.subscribe(topic, Qos.EXACTLY_ONCE)) {
            Thread consumer = Thread.ofVirtual().start(() -> {
                try {
                    for (MqttMessage message : subscription) {
                        String payload = message.payloadAsString();
                        if (payload.equals("END")) {
                            end.countDown();
                            continue;
                        }
                        int n = Integer.parseInt(payload);
                        synchronized (deliveries) {
                            if (n < 1 || n > MESSAGES) {
                                unexpected.incrementAndGet();
                            } else {
                                deliveries[n]++;
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    unexpected.incrementAndGet();
                }
            });

            Child killed = start(version, qos, identifier, topic, 1, KILL_AFTER);
            assertTrue(killed.enoughReturned.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first child: " + killed.tail());
            assertTrue(killed.process.isAlive(), () -> "the first child is still publishing: " + killed.tail());
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
            // pipe, losing the lines still in it.
            assertTrue(killed.process.toHandle().destroyForcibly(), "kill sent");
            killed.awaitEnd();
            int lastReturned = killed.last("RETURNED");
            int lastPublishing = killed.last("PUBLISHING");
            assertTrue(lastPublishing < MESSAGES, "killed mid-stream, at " + lastPublishing);
            assertTrue(lastPublishing - lastReturned <= 1, "one publishing thread: " + lastReturned + ", " + lastPublishing);
            long ackedBeforeKill = killed.count("ACKED");
            assertEquals(0, killed.count("FAILED"), killed.tail());

            Child second = start(version, qos, identifier, topic, lastPublishing + 1, Integer.MAX_VALUE);
            second.awaitEnd();
            assertEquals(0, second.process.exitValue(), "the second child: " + second.tail());
            String done = second.lines.stream().filter(line -> line.startsWith("DONE ")).findFirst().orElse("none");
            assertEquals("DONE 0", done, "the recovered flows completed: " + second.tail());
            String connected = second.lines.get(0);
            assertTrue(connected.startsWith("CONNECTED true "), "the broker resumed the publisher's session: " + connected);
            assertEquals(0, second.count("FAILED"), second.tail());

            assertTrue(end.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the end marker arrived");
            subscription.close();
            consumer.join(WAIT.toMillis());

            List<Integer> missing = new ArrayList<>();
            List<Integer> duplicated = new ArrayList<>();
            int delivered = 0;
            int duplicates = 0;
            synchronized (deliveries) {
                for (int n = 1; n <= MESSAGES; n++) {
                    boolean ambiguous = n > lastReturned && n <= lastPublishing;
                    delivered += deliveries[n] > 0 ? 1 : 0;
                    duplicates += Math.max(0, deliveries[n] - 1);
                    if (deliveries[n] == 0 && !ambiguous) {
                        missing.add(n);
                    }
                    if (deliveries[n] > 1) {
                        duplicated.add(n);
                    }
                }
            }
            System.out.printf("RESILIENCE: kill -9 %s %s on %s: killed after %d returned (%d acknowledged, %d in the"
                            + " store or in flight, %s ambiguous), second process resumed with %s queued; %d of %d"
                            + " delivered, %d duplicates %s, %d missing, %d ms%n",
                    version, qos, broker().name(), lastReturned, ackedBeforeKill, lastReturned - ackedBeforeKill,
                    lastPublishing > lastReturned ? "1" : "none", connected.split(" ")[2], delivered, MESSAGES, duplicates,
                    duplicated.subList(0, Math.min(10, duplicated.size())), missing.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertEquals(0, unexpected.get(), "only numbered messages arrive");
            assertEquals("", ranges(missing), missing.size() + " messages whose publish had returned never arrived"
                    + " (the first process returned 1.." + lastReturned + ")");
            if (qos == Qos.EXACTLY_ONCE) {
                assertEquals(List.of(), duplicated, "QoS 2 messages delivered more than once");
            }
        }
    }
}
