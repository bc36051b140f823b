package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client's exact duties after a lost connection, read off the bytes it sent through the
 * proxy: an unacknowledged PUBLISH is sent again with DUP and its packet identifier
 * [MQTT-4.4.0-1, MQTT-3.3.1-1]; after PUBREC only the PUBREL is sent again; an acknowledged
 * message never is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ResendDutiesBehaviour {

    static final Duration WAIT = Duration.ofSeconds(10);

    abstract MqttBroker broker();

    private MqttClientBuilder persistentThrough(FaultProxy proxy, ProtocolVersion version) {
        MqttClientBuilder builder = MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).protocol(version)
                .identifier("tether-resend-" + UUID.randomUUID().toString().substring(0, 8)).cleanStart(false)
                .keepAlive(Duration.ofMinutes(10)) // no PINGREQ among the bytes counted
                .reconnect(Backoff.fixed(Duration.ofMillis(20)));
        return version == ProtocolVersion.V5 ? builder.sessionExpiry(Duration.ofMinutes(5)) : builder;
    }

    /** The packets the client sent on one connection through the proxy. */
    private static List<Packet> sent(FaultProxy proxy, int connection, ProtocolVersion version) throws MalformedPacketException {
        ByteBuffer bytes = ByteBuffer.wrap(proxy.clientBytes(connection));
        PacketDecoder decoder = new PacketDecoder(version, 1 << 20);
        List<Packet> packets = new ArrayList<>();
        Packet packet;
        while ((packet = decoder.decode(bytes)) != null) {
            packets.add(packet);
        }
        return packets;
    }

    private static List<Publish> publishes(List<Packet> packets) {
        return packets.stream().filter(Publish.class::isInstance).map(Publish.class::cast).toList();
    }

    private static ConnectionEvent.Connected nextConnected(BlockingQueue<ConnectionEvent> events) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ConnectionEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no reconnect within " + WAIT);
            }
            if (event instanceof ConnectionEvent.Connected connected) {
                return connected;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-2.3.1-3", "MQTT-3.3.1-1", "MQTT-4.4.0-1"},
        v5 = {"MQTT-3.3.1-1", "MQTT-4.3.2-3", "MQTT-4.4.0-1"})
    void anUnacknowledgedPublishIsSentAgainWithDupAndItsPacketIdentifier(ProtocolVersion version) throws Exception {
        String topic = "tether-test/resend/" + UUID.randomUUID();
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port()).record(true);
             MqttClient client = persistentThrough(proxy, version).connect()) {
            BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(events::add);
            // Connection 1 is cut once the broker sent its CONNACK and one byte more: the PUBACK
            // never reaches the client whole. (A resumed CONNACK differs from the first only in a bit.)
            proxy.closeAfterServerBytes(proxy.serverBytes(0).length + 1);
            proxy.cutAll();
            nextConnected(events);
            proxy.closeAfterServerBytes(-1);
            CompletableFuture<PublishResult> result = client.publishAsync(topic, "once more", Qos.AT_LEAST_ONCE);
            assertTrue(nextConnected(events).result().sessionPresent());
            assertFalse(result.get(WAIT.toSeconds(), TimeUnit.SECONDS).reasonCode().isError());

            Publish first = publishes(sent(proxy, 1, version)).get(0);
            assertFalse(first.dup());
            List<Packet> again = sent(proxy, 2, version);
            assertTrue(again.get(0) instanceof Connect connect && !connect.cleanStart(), "resumes the session: " + again.get(0));
            List<Publish> resent = publishes(again);
            assertEquals(1, resent.size(), "sent again once: " + again);
            assertTrue(resent.get(0).dup(), "DUP is set on the resent PUBLISH");
            assertEquals(first.packetId(), resent.get(0).packetId(), "with the same packet identifier");
            assertEquals("once more", new String(resent.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-4.3.3-1", "MQTT-4.4.0-1"},
        v5 = {"MQTT-4.3.3-3", "MQTT-4.3.3-5", "MQTT-4.3.3-6", "MQTT-4.4.0-1"})
    void afterPubrecOnlyThePubrelIsSentAgain(ProtocolVersion version) throws Exception {
        String topic = "tether-test/resend-pubrel/" + UUID.randomUUID();
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port()).record(true);
             MqttClient client = persistentThrough(proxy, version).connect()) {
            BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(events::add);
            // Connection 1, a reconnect like the ones that follow: learn how many bytes its CONNECT
            // and a first QoS 2 PUBLISH to the topic take (topic aliases start afresh on each connection).
            proxy.cutAll();
            nextConnected(events);
            client.publish(topic, "measure", Qos.EXACTLY_ONCE);
            List<Packet> measured = sent(proxy, 1, version);
            int connectAndPublish = proxy.clientBytes(1).length - pubrelSize(version, measured);

            // Connection 2 is cut once the client sent CONNECT, PUBLISH and one byte more: the first
            // of its PUBREL, which it sends only once the broker's PUBREC came. The broker never gets it whole.
            proxy.closeAfterBytes(connectAndPublish + 1);
            proxy.cutAll();
            nextConnected(events);
            proxy.closeAfterBytes(-1);
            CompletableFuture<PublishResult> result = client.publishAsync(topic, "measure", Qos.EXACTLY_ONCE);
            ConnectionEvent.Connected third = nextConnected(events);
            assertTrue(third.result().sessionPresent());
            assertFalse(result.get(WAIT.toSeconds(), TimeUnit.SECONDS).reasonCode().isError(), "PUBCOMP came");

            Publish published = publishes(sent(proxy, 2, version)).get(0);
            List<Packet> resumed = sent(proxy, 3, version);
            assertTrue(publishes(resumed).isEmpty(), "no PUBLISH is sent again after PUBREC: " + resumed);
            List<Pubrel> pubrels = resumed.stream().filter(Pubrel.class::isInstance).map(Pubrel.class::cast).toList();
            assertEquals(1, pubrels.size(), "the PUBREL is sent again: " + resumed);
            assertEquals(published.packetId(), pubrels.get(0).packetId());
        }
    }

    /** Bytes of the PUBREL at the end of a measured connection. */
    private static int pubrelSize(ProtocolVersion version, List<Packet> packets) {
        assertTrue(packets.get(packets.size() - 1) instanceof Pubrel, "the measuring connection ends with PUBREL: " + packets);
        return new dev.tether.mqtt.internal.codec.PacketEncoder(version).size(packets.get(packets.size() - 1));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v5 = "MQTT-4.4.0-1")
    void anAcknowledgedMessageIsNeverSentAgain(ProtocolVersion version) throws Exception {
        String topic = "tether-test/no-resend/" + UUID.randomUUID();
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port()).record(true);
             MqttClient client = persistentThrough(proxy, version).connect()) {
            BlockingQueue<ConnectionEvent> events = new LinkedBlockingQueue<>();
            client.addConnectionListener(events::add);
            client.publish(topic, "one", Qos.AT_LEAST_ONCE);
            client.publish(topic, "two", Qos.EXACTLY_ONCE);
            proxy.cutAll();
            nextConnected(events);
            client.publish(topic, "three", Qos.AT_LEAST_ONCE); // the new connection carries on

            List<Packet> resumed = sent(proxy, 1, version);
            List<String> payloads = publishes(resumed).stream()
                    .map(p -> new String(p.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList();
            assertEquals(List.of("three"), payloads, "acknowledged messages are not sent again");
            assertTrue(resumed.stream().noneMatch(Pubrel.class::isInstance), "nor their PUBREL");
        }
    }
}
