package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.FaultProxy;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several servers, and brokers that refer the client to another one (MQTT 5 Server Reference). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServersClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static String uri(String host, int port) {
        return "mqtt://" + host + ":" + port;
    }

    /** A CONNACK with reason code {@code code} and a Server Reference. */
    private static byte[] referringConnack(int code, String reference) {
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        properties.write(0x1C);
        properties.writeBytes(FakeBroker.string(reference));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(code);
        body.write(properties.size());
        body.writeBytes(properties.toByteArray());
        return FakeBroker.packet(0x20, body.toByteArray());
    }

    @Test
    void connectsToTheNextServerWhenTheFirstRefuses() throws Exception {
        try (FakeBroker unavailable = FakeBroker.start(packet -> FakeBroker.connack(true, 0x88, "maintenance"));
             MqttClient client = MqttClient.newBuilder()
                     .servers(uri(unavailable.host(), unavailable.port()), uri(broker.broker().host(), broker.broker().port()))
                     .connect()) {
            client.publish("tether-test/servers", "reached the second", Qos.AT_LEAST_ONCE);
        }
    }

    @Test
    void reconnectsToTheNextServerWhenTheFirstIsGone() throws Exception {
        try (FaultProxy first = FaultProxy.start(broker.broker().host(), broker.broker().port());
             FaultProxy second = FaultProxy.start(broker.broker().host(), broker.broker().port());
             MqttClient client = MqttClient.newBuilder().servers(first.uri(), second.uri())
                     .reconnect(Backoff.fixed(Duration.ofMillis(10))).connect()) {
            BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(events::add);
            first.refuseNew(true);
            first.cutAll();
            ConnectionEvent event;
            while (!((event = events.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS)) instanceof ConnectionEvent.Connected)) {
                assertNotNull(event, "reconnected within " + WAIT);
            }
            assertEquals(second.uri(), ((ConnectionEvent.Connected) event).server());
            assertEquals(1, second.connectionCount());
        }
    }

    @Test
    void followsAServerReferenceWhenAllowed() throws Exception {
        String live = broker.broker().host() + ":" + broker.broker().port();
        try (FakeBroker moved = FakeBroker.start(packet -> referringConnack(0x9D, live));
             MqttClient client = MqttClient.newBuilder().servers(uri(moved.host(), moved.port()))
                     .followServerReference(true).connect()) {
            client.publish("tether-test/servers", "moved", Qos.AT_LEAST_ONCE);
            assertTrue(moved.awaitClosedByClient(WAIT));
        }
    }

    @Test
    void aServerReferenceIsNotFollowedUnlessAllowed() throws Exception {
        String live = broker.broker().host() + ":" + broker.broker().port();
        try (FakeBroker moved = FakeBroker.start(packet -> referringConnack(0x9C, live))) {
            MqttConnectException refused = assertThrows(MqttConnectException.class,
                    () -> MqttClient.newBuilder().servers(uri(moved.host(), moved.port())).connect());
            assertEquals(ReasonCode.USE_ANOTHER_SERVER, refused.reasonCode());
            assertEquals(live, refused.serverReference());
            assertTrue(refused.getMessage().contains(live), refused.getMessage());
        }
    }

    @Test
    void aServerUriIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttClient.newBuilder().servers("http://broker:1883"));
        assertTrue(e.getMessage().contains("mqtt://"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MqttClient.newBuilder().servers());
    }
}
