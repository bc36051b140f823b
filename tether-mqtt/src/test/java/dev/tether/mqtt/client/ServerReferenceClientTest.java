package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker that disconnects a connected client and refers it to another server (MQTT 5, 4.11). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerReferenceClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static String live() {
        return broker.broker().host() + ":" + broker.broker().port();
    }

    /** A DISCONNECT with reason code {@code code} and a Server Reference. */
    private static byte[] referringDisconnect(int code, String reference) {
        return new PropertyBytes().string(0x1C, reference).disconnect(code);
    }

    private static FakeBroker accepting() {
        return FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT ? FakeBroker.connack(true, 0, null) : null);
    }

    private static <T extends ConnectionEvent> T next(BlockingQueue<ConnectionEvent> events, Class<T> type)
            throws InterruptedException {
        ConnectionEvent event;
        do {
            event = events.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
            assertNotNull(event, type.getSimpleName() + " within " + WAIT);
        } while (!type.isInstance(event));
        return type.cast(event);
    }

    @Test
    void serverMovedSendsTheReconnectToTheReferencedServerAndTellsTheListener() throws Exception {
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        try (FakeBroker moving = accepting();
             MqttClient client = MqttClient.newBuilder().servers("mqtt://" + moving.host() + ":" + moving.port())
                     .followServerReference(true).reconnect(Backoff.fixed(Duration.ofMillis(10)))
                     .connectionListener(events::add).connect()) {
            next(events, ConnectionEvent.Connected.class);
            moving.send(referringDisconnect(0x9D, live()));
            ConnectionEvent.Lost lost = next(events, ConnectionEvent.Lost.class);
            assertEquals(ReasonCode.SERVER_MOVED, lost.reasonCode());
            assertEquals(live(), lost.serverReference());
            assertEquals("mqtt://" + live(), next(events, ConnectionEvent.Reconnecting.class).server());
            ConnectionEvent.Connected connected = next(events, ConnectionEvent.Connected.class);
            assertEquals("mqtt://" + live(), connected.server(), "reconnected to the referenced server, outside the list");
            client.publish("tether-test/moved", "reached the referenced server", Qos.AT_LEAST_ONCE);
        }
    }

    @Test
    void useAnotherServerIsReportedButNotFollowedUnlessAllowed() throws Exception {
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        try (FakeBroker referring = accepting();
             MqttClient client = MqttClient.newBuilder().servers("mqtt://" + referring.host() + ":" + referring.port())
                     .reconnect(Backoff.fixed(Duration.ofMillis(10))).connectionListener(events::add).connect()) {
            next(events, ConnectionEvent.Connected.class);
            referring.send(referringDisconnect(0x9C, live()));
            ConnectionEvent.Lost lost = next(events, ConnectionEvent.Lost.class);
            assertEquals(ReasonCode.USE_ANOTHER_SERVER, lost.reasonCode());
            assertEquals(live(), lost.serverReference());
            assertTrue(lost.cause().getMessage().contains(live()), lost.cause().getMessage());
            assertEquals("mqtt://" + referring.host() + ":" + referring.port(),
                    next(events, ConnectionEvent.Reconnecting.class).server(), "the configured server, not the reference");
        }
    }

    @Test
    void aReferenceWithAReasonCodeThatDoesNotReferIsNotFollowed() throws Exception {
        BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
        try (FakeBroker shuttingDown = accepting();
             MqttClient client = MqttClient.newBuilder().servers("mqtt://" + shuttingDown.host() + ":" + shuttingDown.port())
                     .followServerReference(true).reconnect(Backoff.fixed(Duration.ofMillis(10)))
                     .connectionListener(events::add).connect()) {
            next(events, ConnectionEvent.Connected.class);
            shuttingDown.send(referringDisconnect(0x8B, live()));
            assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, next(events, ConnectionEvent.Lost.class).reasonCode());
            assertEquals("mqtt://" + shuttingDown.host() + ":" + shuttingDown.port(),
                    next(events, ConnectionEvent.Reconnecting.class).server(), "only 0x9C and 0x9D refer (MQTT 5, 4.11)");
        }
    }
}
