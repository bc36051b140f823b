package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.FaultProxy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keep-alive: an idle client keeps its connection, and a broker gone silent is noticed. */
abstract class KeepAliveBehaviour extends BrokerBehaviour {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-3.1.2-23", v5 = "MQTT-3.1.2-20")
    void anIdleClientStaysConnectedForManyKeepAliveIntervals(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("idle");
        Duration keepAlive = Duration.ofSeconds(2);
        try (MqttClient client = builder(version).keepAlive(keepAlive).connect();
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            assertEquals(keepAlive, client.connectResult().keepAlive(), "the broker kept the client's keep alive");
            // Idle for 3.5 keep-alive intervals: a broker closes a connection silent for 1.5 of
            // them (HiveMQ CE for a keep alive of 1 s: for 1 of them), so only the client's
            // PINGREQs keep it open ([MQTT-3.1.2-23] in 3.1.1, [MQTT-3.1.2-20] in 5). A closed
            // connection would make receive throw.
            assertNull(subscription.receive(keepAlive.multipliedBy(7).dividedBy(2)));
            client.publish(topic, "still connected", Qos.AT_LEAST_ONCE);
            assertEquals("still connected", subscription.receive(WAIT).payloadAsString());
        }
    }

    /**
     * A client that keeps sending but gets nothing back (QoS 0 publishes, no subscription) still
     * hears from a live broker: it pings when it has heard nothing for half an interval, so the
     * broker's silence is never taken for death. Without that, the client saw no packet for 1.5
     * intervals and declared a healthy connection dead.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aClientThatOnlyPublishesAtQos0StaysConnected(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("publish-only");
        Duration keepAlive = Duration.ofSeconds(2);
        try (MqttClient client = builder(version).keepAlive(keepAlive).connect()) {
            BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(events::add);
            // Past the 1.5 keep alives after which such a client used to give up.
            long end = System.nanoTime() + keepAlive.multipliedBy(5).dividedBy(2).toNanos();
            int published = 0;
            // A QoS 0 publish every 100 ms: the client is never idle for half an interval. The
            // wait between two is the wait for a connection event.
            while (System.nanoTime() < end) {
                client.publish(topic, "reading " + published++, Qos.AT_MOST_ONCE);
                ConnectionEvent event = events.poll(100, TimeUnit.MILLISECONDS);
                assertNull(event, () -> "after " + client.metrics().messagesSent() + " publishes: " + event);
            }
            assertEquals(ConnectionState.CONNECTED, client.state());
            assertEquals(0, client.metrics().reconnects(), "the connection was never lost");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aBrokerGoneSilentIsDeclaredDeadAfterOneAndAHalfKeepAlives(ProtocolVersion version) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port());
             MqttClient client = builder(version).reconnect(false).host(proxy.host()).port(proxy.port()).keepAlive(KEEP_ALIVE).connect();
             Subscription subscription = client.subscribe(uniqueTopic("silent"), Qos.AT_LEAST_ONCE)) {
            proxy.blackhole(true); // the sockets stay open, nothing gets through: no PINGRESP comes
            long stalled = System.nanoTime();
            MqttException e = assertThrows(MqttException.class, () -> subscription.receive(WAIT));
            long millis = Duration.ofNanos(System.nanoTime() - stalled).toMillis();
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, e.reasonCode(), e.getMessage());
            // Declared dead 1.5 keep alives after the last packet came (the timer runs at that
            // deadline), plus what a loaded machine adds in scheduling.
            assertTrue(millis <= 1_500 + 250 + 3_000, "declared dead after " + millis + " ms");
            // Publishing on a dead connection fails at once, naming the cause.
            MqttException publish = assertThrows(MqttException.class, () -> client.publish("a", "b"));
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, publish.reasonCode());
        }
    }
}
