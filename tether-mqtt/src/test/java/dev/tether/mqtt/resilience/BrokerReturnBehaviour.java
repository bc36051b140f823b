package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With the default backoff, a client whose broker was away for three seconds is connected again
 * within half a second of the broker's return: the default's quick phase retries at least every
 * 0.4 s for its first four seconds or more. Run against each broker; here the outage is the
 * proxy refusing every connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BrokerReturnBehaviour {

    static final Duration OUTAGE = Duration.ofSeconds(3);
    /** What the default promises after such an outage. */
    static final Duration PROMISED = Duration.ofMillis(500);
    /** The longest wait of the default's quick phase. */
    static final Duration QUICK_WAIT = Duration.ofMillis(400);
    /**
     * The promise plus slack for a machine whose cores are busy with other work: the attempt's TCP
     * and MQTT handshake, the reconnect and listener threads waiting for a core. The promise itself
     * is held by the schedule, which the test checks deterministically (every wait of the quick
     * phase at most {@link #QUICK_WAIT}); this bound catches a client that stopped trying, and the
     * report line shows the figure measured.
     */
    static final Duration BACK_WITHIN = Duration.ofSeconds(5);
    static final Duration WAIT = Duration.ofSeconds(15);

    abstract MqttBroker broker();

    record Stamped(long nanos, ConnectionEvent event) {
    }

    /** Events from now on, each with the time it reached the listener. */
    static BlockingQueue<Stamped> record(MqttClient client) {
        BlockingQueue<Stamped> events = new LinkedBlockingQueue<>();
        client.addConnectionListener(event -> events.add(new Stamped(System.nanoTime(), event)));
        return events;
    }

    /**
     * Takes the client's events until {@code outage} after {@code from}, a bounded wait on the
     * events themselves; checks that no attempt succeeded and that each waited at most the
     * quick phase's 0.4 s, and returns how many attempts the client announced.
     */
    static int awaitOutage(BlockingQueue<Stamped> events, long from, Duration outage) throws InterruptedException {
        long end = from + outage.toNanos();
        int attempts = 0;
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            Stamped stamped = events.poll(left, TimeUnit.NANOSECONDS);
            if (stamped == null) {
                break;
            }
            assertTrue(!(stamped.event() instanceof ConnectionEvent.Connected), "connected during the outage: " + stamped);
            if (stamped.event() instanceof ConnectionEvent.Reconnecting reconnecting) {
                attempts++;
                assertTrue(reconnecting.delay().compareTo(QUICK_WAIT) <= 0, "an attempt of the quick phase waits "
                        + reconnecting.delay() + ": " + reconnecting);
            }
        }
        return attempts;
    }

    /** {@return the next Connected event and when it reached the listener} */
    static Stamped nextConnected(BlockingQueue<Stamped> events) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Stamped stamped = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(stamped, "not connected again within " + WAIT + " of the broker's return");
            if (stamped.event() instanceof ConnectionEvent.Connected) {
                return stamped;
            }
        }
    }

    @Test
    void theDefaultBackoffIsBackWithinHalfASecondOfTheBrokersReturnAfterThreeSeconds() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).connect()) {
            BlockingQueue<Stamped> events = record(client);
            proxy.refuseNew(true);
            long cutAt = System.nanoTime();
            proxy.cutAll();
            int attempts = awaitOutage(events, cutAt, OUTAGE);
            proxy.refuseNew(false);
            long backAt = System.nanoTime();

            Stamped connected = nextConnected(events);
            Duration back = Duration.ofNanos(connected.nanos() - backAt);
            System.out.printf("RESILIENCE: return-after-outage broker=%s fault=refuse outageMs=%d attemptsDuringOutage=%d"
                            + " refused=%d connectedAfterReturnMs=%d%n", broker().name(), (backAt - cutAt) / 1_000_000,
                    attempts, proxy.refusedConnections(), back.toMillis());
            // About ten on a quiet machine; fewer when each refused attempt waits for a busy core.
            assertTrue(attempts >= 2, "the client kept trying during the outage: " + attempts + " attempts");
            assertTrue(back.compareTo(BACK_WITHIN) <= 0, "connected again only " + back + " after the broker's return,"
                    + " more than " + BACK_WITHIN + " (" + PROMISED + " promised, the rest slack for a loaded machine)");
        }
    }
}
