package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection that goes silent without closing (a half-open connection: the proxy forwards no
 * byte and no FIN or reset) is found out by the keep-alive alone, then the client reconnects once
 * bytes flow again. Run against each broker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BlackholeBehaviour {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(2);
    /**
     * Scheduling slack for the upper bounds: the keep-alive timer runs at the deadline, a virtual
     * thread fails the connection and another tells the listeners, and on a loaded 2-core machine
     * each of them may wait for a core. Still under two keep-alives and a half: a client that
     * waited for a second silent interval would be caught.
     */
    static final Duration MARGIN = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(15);
    /** The proxy holds up to 1 MiB per direction of a silent connection before the client's writes block. */
    static final long FILLS_THE_PROXY = 1 << 20;
    static final Backoff FAST = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(200));

    abstract MqttBroker broker();

    record Stamped(long nanos, ConnectionEvent event) {
    }

    static <T extends ConnectionEvent> Stamped next(BlockingQueue<Stamped> events, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Stamped stamped = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(stamped, "no " + type.getSimpleName() + " event within " + WAIT);
            if (type.isInstance(stamped.event())) {
                return stamped;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void detectsASilentConnectionWithinOneAndAHalfKeepAlivesAndReconnectsOnceItHeals(ProtocolVersion version)
            throws Exception {
        String topic = "tether-test/blackhole/" + UUID.randomUUID();
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = persistent(version).host(proxy.host()).port(proxy.port()).connect();
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            BlockingQueue<Stamped> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(event -> events.add(new Stamped(System.nanoTime(), event)));
            // A round trip just before: the broker was last heard from now, not up to half a keep alive ago.
            client.publish(topic, "before", Qos.AT_LEAST_ONCE);
            assertEquals("before", subscription.receive(WAIT).payloadAsString());

            long silentFrom = System.nanoTime();
            proxy.blackhole(true);
            Stamped lost = next(events, ConnectionEvent.Lost.class);
            Duration detection = Duration.ofNanos(lost.nanos() - silentFrom);
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, ((ConnectionEvent.Lost) lost.event()).cause().reasonCode(),
                    () -> ((ConnectionEvent.Lost) lost.event()).cause().toString());
            Duration atMost = KEEP_ALIVE.multipliedBy(3).dividedBy(2).plus(MARGIN);
            assertTrue(detection.compareTo(KEEP_ALIVE) >= 0, "declared dead after " + detection
                    + ", before even one keep alive of " + KEEP_ALIVE + " had passed");
            assertTrue(detection.compareTo(atMost) <= 0, "declared dead only after " + detection + ", more than " + atMost);

            proxy.blackhole(false);
            long healedAt = System.nanoTime();
            Stamped connected = next(events, ConnectionEvent.Connected.class);
            client.awaitConnected(WAIT);
            assertEquals(ConnectionState.CONNECTED, client.state());
            Duration reconnect = Duration.ofNanos(connected.nanos() - healedAt);

            client.publish(topic, "after", Qos.AT_LEAST_ONCE);
            // "before" may come again first: its PUBACK can be caught in the silence and never reach
            // the broker, which then sends it again on the resumed session (QoS 1 is at least once).
            MqttMessage after = subscription.receive(WAIT);
            while (after != null && after.payloadAsString().equals("before")) {
                after = subscription.receive(WAIT);
            }
            assertNotNull(after, "no round trip after the reconnect");
            assertEquals("after", after.payloadAsString());
            System.out.printf("RESILIENCE: blackhole broker=%s protocol=%s keepAliveMs=%d detectionMs=%d"
                            + " reconnectAfterHealMs=%d sessionPresent=%s%n", broker().name(), version,
                    KEEP_ALIVE.toMillis(), detection.toMillis(), reconnect.toMillis(),
                    ((ConnectionEvent.Connected) connected.event()).result().sessionPresent());
        }
    }

    /**
     * The verdict comes at 1.5 keep alives after the last packet received, not up to a check
     * interval later: never before (measured from before the round trip whose PUBACK is the last
     * packet, so the bound holds however late this thread runs), and on a quiet machine within a few
     * milliseconds after; the asserted upper bound leaves {@link #MARGIN} for a loaded one.
     */
    @ParameterizedTest(name = "keep alive {0} s")
    @ValueSource(ints = {2, 5})
    void declaresASilentConnectionDeadAtOneAndAHalfKeepAlivesAfterTheLastPacket(int seconds) throws Exception {
        Duration keepAlive = Duration.ofSeconds(seconds);
        Duration deadline = keepAlive.multipliedBy(3).dividedBy(2);
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = MqttClient.newBuilder().keepAlive(keepAlive).reconnect(false)
                     .host(proxy.host()).port(proxy.port()).connect()) {
            BlockingQueue<Stamped> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(event -> events.add(new Stamped(System.nanoTime(), event)));
            long beforeLastPacket = System.nanoTime();
            client.publish("tether-test/blackhole-deadline/" + UUID.randomUUID(), "last", Qos.AT_LEAST_ONCE);
            long silentFrom = System.nanoTime();
            proxy.blackhole(true);

            Stamped closed = next(events, ConnectionEvent.Closed.class);
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, ((ConnectionEvent.Closed) closed.event()).cause().reasonCode(),
                    () -> String.valueOf(((ConnectionEvent.Closed) closed.event()).cause()));
            Duration sinceLastPacket = Duration.ofNanos(closed.nanos() - beforeLastPacket);
            Duration detection = Duration.ofNanos(closed.nanos() - silentFrom);
            System.out.printf("RESILIENCE: keepalive-deadline broker=%s keepAliveMs=%d deadlineMs=%d detectionMs=%d"
                            + " sinceBeforeLastPacketMs=%d%n", broker().name(), keepAlive.toMillis(), deadline.toMillis(),
                    detection.toMillis(), sinceLastPacket.toMillis());
            assertTrue(sinceLastPacket.compareTo(deadline) >= 0, "declared dead " + sinceLastPacket
                    + " after the last packet, before 1.5 keep alives (" + deadline + ")");
            Duration atMost = deadline.plus(MARGIN);
            assertTrue(detection.compareTo(atMost) <= 0, "declared dead only after " + detection + ", more than " + atMost);
        }
    }

    /**
     * A publisher stuck writing into a silent connection (the proxy and the TCP buffers full) holds
     * the connection's write lock, so a PINGREQ cannot go out either: the keep-alive must still
     * declare the connection dead, and closing it must free the stuck publisher with an error.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aPublisherStuckOnAFullSocketDoesNotKeepTheConnectionFromBeingDeclaredDead(ProtocolVersion version)
            throws Exception {
        String topic = "tether-test/blackhole-full/" + UUID.randomUUID();
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = MqttClient.newBuilder().protocol(version).keepAlive(KEEP_ALIVE).reconnect(false)
                     .host(proxy.host()).port(proxy.port()).connect()) {
            BlockingQueue<Stamped> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(event -> events.add(new Stamped(System.nanoTime(), event)));
            client.publish(topic, "before", Qos.AT_LEAST_ONCE); // heard from the broker just now

            long silentFrom = System.nanoTime();
            proxy.blackhole(true);
            BlockingQueue<Throwable> publisherEnd = publishUntilItFails(client, topic);

            Stamped closed = next(events, ConnectionEvent.Closed.class);
            Duration detection = Duration.ofNanos(closed.nanos() - silentFrom);
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, ((ConnectionEvent.Closed) closed.event()).cause().reasonCode(),
                    () -> String.valueOf(((ConnectionEvent.Closed) closed.event()).cause()));
            Duration atMost = KEEP_ALIVE.multipliedBy(3).dividedBy(2).plus(MARGIN);
            assertTrue(detection.compareTo(atMost) <= 0, "declared dead only after " + detection + ", more than " + atMost);
            assertFreedWithAnError(publisherEnd, "the connection was closed");
        }
    }

    /**
     * Without keep-alive nothing else would ever free a publisher stuck on a full socket, and it
     * holds the write lock the DISCONNECT needs: {@code close()} must still return, by its
     * deadline, and free the publisher with an error.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void closeReturnsByItsDeadlineWhileAPublisherIsStuckOnAFullSocket(ProtocolVersion version) throws Exception {
        String topic = "tether-test/blackhole-close/" + UUID.randomUUID();
        Duration closeTimeout = Duration.ofSeconds(1);
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port())) {
            MqttClient client = MqttClient.newBuilder().protocol(version).keepAlive(Duration.ZERO).reconnect(false)
                    .closeTimeout(closeTimeout).host(proxy.host()).port(proxy.port()).connect();
            proxy.blackhole(true);
            long sentBefore = client.metrics().bytesSent();
            BlockingQueue<Throwable> publisherEnd = publishUntilItFails(client, topic);
            awaitWritesStuck(client, sentBefore);

            long closing = System.nanoTime();
            client.close();
            Duration took = Duration.ofNanos(System.nanoTime() - closing);
            Duration atMost = closeTimeout.multipliedBy(2).plus(MARGIN);
            assertTrue(took.compareTo(atMost) <= 0, "close() took " + took + ", more than " + atMost);
            assertFreedWithAnError(publisherEnd, "close()");
            assertEquals(ConnectionState.CLOSED, client.state());
        }
    }

    /**
     * Publishes 64 KiB messages at QoS 0 on a virtual thread, as fast as it can, until a publish
     * fails: QoS 0 has no window to stop it, so into a silent connection it writes until the
     * buffers are full and then blocks in the write. The queue gets what ended it.
     */
    private static BlockingQueue<Throwable> publishUntilItFails(MqttClient client, String topic) {
        byte[] chunk = new byte[64 * 1024];
        BlockingQueue<Throwable> end = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    client.publish(topic, chunk, Qos.AT_MOST_ONCE);
                }
            } catch (Throwable e) {
                end.add(e);
            }
        });
        return end;
    }

    private static void assertFreedWithAnError(BlockingQueue<Throwable> publisherEnd, String after) throws InterruptedException {
        Throwable ended = publisherEnd.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(ended, "the stuck publisher is still blocked " + WAIT + " after " + after);
        assertTrue(ended instanceof dev.tether.mqtt.MqttException, () -> "publisher ended with " + ended);
    }

    /**
     * Waits until the client's bytes sent stop growing for 200 ms after the publisher wrote at
     * least {@link #FILLS_THE_PROXY} into the silent connection since {@code sentBefore} (taken
     * before it started): its writes are blocked by full buffers. Without that floor, a publisher
     * thread that had not started yet looks stuck too.
     */
    private static void awaitWritesStuck(MqttClient client, long sentBefore) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        CountDownLatch never = new CountDownLatch(1);
        long before = client.metrics().bytesSent();
        while (System.nanoTime() < deadline) {
            never.await(200, TimeUnit.MILLISECONDS);
            long now = client.metrics().bytesSent();
            if (now == before && now - sentBefore >= FILLS_THE_PROXY) {
                return;
            }
            before = now;
        }
        throw new AssertionError("the client's writes never blocked within " + WAIT + ": " + before + " bytes sent");
    }

    static MqttClientBuilder persistent(ProtocolVersion version) {
        MqttClientBuilder builder = MqttClient.newBuilder().protocol(version).keepAlive(KEEP_ALIVE).reconnect(FAST)
                .connectTimeout(Duration.ofSeconds(2))
                .identifier("tether-blackhole-" + UUID.randomUUID().toString().substring(0, 8)).cleanStart(false);
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }
}
