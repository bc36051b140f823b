package dev.tether.mqtt.client;

import static dev.tether.mqtt.client.FakeBroker.bytes;
import static dev.tether.mqtt.client.FakeBroker.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.Unsubscribe;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the client puts on the wire, read back by the fake broker and decoded with the codec's own
 * strict decoder (which refuses what the specifications forbid): the CONNECT, the fixed header of
 * each packet, packet identifiers, and the order and pace of the flows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientPacketsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PUBLISH = 3;
    private static final int PUBREL = 6;

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-3.1.0-1", "MQTT-3.1.2-3", "MQTT-3.1.2-9", "MQTT-3.1.2-14", "MQTT-3.1.2-19", "MQTT-3.1.2-21",
        "MQTT-3.1.3-1", "MQTT-3.1.3-3", "MQTT-3.1.3-4", "MQTT-3.1.3-10", "MQTT-3.1.3-11"},
        v5 = {"MQTT-3.1.0-1", "MQTT-3.1.2-1", "MQTT-3.1.2-3", "MQTT-3.1.2-9", "MQTT-3.1.2-12", "MQTT-3.1.2-17",
            "MQTT-3.1.2-19", "MQTT-3.1.3-1", "MQTT-3.1.3-3", "MQTT-3.1.3-4", "MQTT-3.1.3-11", "MQTT-3.1.3-12", "MQTT-3.1.4-1"})
    void connectWithWillAndCredentialsCarriesThemInTheSpecifiedOrder(ProtocolVersion version) throws Exception {
        MqttMessage will = MqttMessage.newBuilder("will/\u00e9t\u00e9").payload("bye").qos(Qos.AT_LEAST_ONCE).retain(true).build();
        Connect connect = connectPacket(version, builder -> builder.identifier("client-\u00e9").will(will)
                .credentials("user-\u00e9", "secret".getBytes(StandardCharsets.UTF_8)));

        assertEquals("client-\u00e9", connect.clientId());
        assertEquals("will/\u00e9t\u00e9", connect.will().topic());
        assertArrayEquals("bye".getBytes(StandardCharsets.UTF_8), connect.will().payload());
        assertEquals(Qos.AT_LEAST_ONCE, connect.will().qos());
        assertTrue(connect.will().retain());
        assertEquals("user-\u00e9", connect.username());
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), connect.password());
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-3.1.2-11", "MQTT-3.1.2-13", "MQTT-3.1.2-15", "MQTT-3.1.2-18", "MQTT-3.1.2-20", "MQTT-3.1.2-22"},
        v5 = {"MQTT-3.1.2-11", "MQTT-3.1.2-13", "MQTT-3.1.2-16", "MQTT-3.1.2-18"})
    void connectWithoutWillOrCredentialsHasNeitherTheirFlagsNorTheirFields(ProtocolVersion version) throws Exception {
        byte[][] flags = new byte[1][];
        Connect connect = connectPacket(version, builder -> builder.identifier("plain"), flags);

        assertEquals(0, flags[0][0] & 0xFC, "will flag, will QoS, will retain, user name and password flags all 0");
        assertNull(connect.will());
        assertNull(connect.username());
        assertNull(connect.password());
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-3.1.0-2", "MQTT-2.3.1-1", "MQTT-2.3.1-5", "MQTT-2.3.1-6", "MQTT-3.3.1-2", "MQTT-3.3.2-1",
        "MQTT-3.6.1-1", "MQTT-3.8.1-1", "MQTT-3.8.3-1", "MQTT-3.8.3-3", "MQTT-3.8.3-4", "MQTT-3.10.1-1", "MQTT-3.10.3-1",
        "MQTT-3.10.3-2", "MQTT-3.14.1-1", "MQTT-3.14.4-1", "MQTT-3.14.4-2", "MQTT-4.3.1-1", "MQTT-4.3.2-1", "MQTT-4.3.3-1"},
        v5 = {"MQTT-3.1.0-2", "MQTT-2.2.1-2", "MQTT-2.2.1-3", "MQTT-2.2.1-5", "MQTT-3.2.2-18", "MQTT-3.3.1-2", "MQTT-3.3.2-1",
            "MQTT-3.3.4-6", "MQTT-3.6.1-1", "MQTT-3.8.1-1", "MQTT-3.8.3-1", "MQTT-3.8.3-2", "MQTT-3.8.3-5", "MQTT-3.10.1-1",
            "MQTT-3.10.3-1", "MQTT-3.10.3-2", "MQTT-3.14.1-1", "MQTT-3.14.4-1", "MQTT-3.14.4-2", "MQTT-4.3.1-1",
            "MQTT-4.3.2-1", "MQTT-4.3.2-2", "MQTT-4.3.3-1", "MQTT-4.3.3-2", "MQTT-4.3.3-4"})
    void everyPacketOfAConnectionHasTheFlagsAndIdentifiersTheSpecificationAsks(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        try (FakeBroker broker = FakeBroker.start(answering(v5))) {
            try (MqttClient client = builder(broker, version).connect()) {
                client.subscribe("a/+", Qos.AT_LEAST_ONCE);
                client.publish("t/0", "zero", Qos.AT_MOST_ONCE);
                client.publish("t/1", "one", Qos.AT_LEAST_ONCE);
                client.publish("t/2", "two", Qos.EXACTLY_ONCE);
                client.publish("t/1", "one again", Qos.AT_LEAST_ONCE);
                client.unsubscribe("a/+");
            }
            assertTrue(broker.awaitClosedByClient(WAIT), "the client closed the connection after its DISCONNECT");
            List<FakeBroker.Packet> packets = drain(broker);

            assertEquals(FakeBroker.Packet.CONNECT, packets.get(0).type());
            assertEquals(1, packets.stream().filter(p -> p.type() == FakeBroker.Packet.CONNECT).count(), "one CONNECT");
            FakeBroker.Packet last = packets.get(packets.size() - 1);
            assertEquals(FakeBroker.Packet.DISCONNECT, last.type(), "nothing after DISCONNECT: " + packets);
            assertEquals(0, last.flags());
            List<Publish> publishes = new ArrayList<>();
            int qos2Id = -1;
            for (FakeBroker.Packet sent : packets.subList(1, packets.size())) {
                Object decoded = decode(version, sent);
                switch (decoded) {
                    case Subscribe subscribe -> {
                        assertEquals(0b0010, sent.flags());
                        assertNotEquals(0, subscribe.packetId());
                        assertEquals("a/+", subscribe.subscriptions().get(0).filter());
                    }
                    case Unsubscribe unsubscribe -> {
                        assertEquals(0b0010, sent.flags());
                        assertNotEquals(0, unsubscribe.packetId());
                        assertEquals(List.of("a/+"), unsubscribe.filters());
                    }
                    case Publish publish -> {
                        assertFalse(publish.dup(), "a first delivery is not a duplicate");
                        assertEquals(publish.qos() == Qos.AT_MOST_ONCE, publish.packetId() == 0, "identifier only for QoS 1/2");
                        assertFalse(publish.properties().contains(Property.TOPIC_ALIAS), "the broker allowed no topic alias");
                        assertFalse(publish.properties().contains(Property.SUBSCRIPTION_IDENTIFIER));
                        if (publish.qos() == Qos.EXACTLY_ONCE) {
                            qos2Id = publish.packetId();
                        }
                        publishes.add(publish);
                    }
                    case Pubrel pubrel -> {
                        assertEquals(0b0010, sent.flags());
                        assertEquals(qos2Id, pubrel.packetId(), "PUBREL for the QoS 2 PUBLISH that PUBREC answered");
                    }
                    default -> assertInstanceOf(dev.tether.mqtt.internal.codec.Disconnect.class, decoded);
                }
            }
            assertEquals(List.of("t/0", "t/1", "t/2", "t/1"), publishes.stream().map(Publish::topic).toList());
            assertEquals(List.of(Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE, Qos.EXACTLY_ONCE, Qos.AT_LEAST_ONCE),
                    publishes.stream().map(Publish::qos).toList());
            assertEquals(1, packets.stream().filter(p -> p.type() == PUBREL).count());
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-4.6.0-4", v5 = "MQTT-4.6.0-4")
    void pubrelsFollowTheOrderOfThePubrecs(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        AtomicInteger firstId = new AtomicInteger();
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case PUBLISH -> {
                if (firstId.compareAndSet(0, packet.publishId())) {
                    yield null; // answered after the second, so the PUBRECs come in the other order
                }
                yield concat(ack(0x50, packet.publishId()), ack(0x50, firstId.get()));
            }
            case PUBREL -> ack(0x70, packet.packetId());
            default -> null;
        }); MqttClient client = builder(broker, version).connect()) {
            CompletableFuture<?> first = client.publishAsync("t", "first", Qos.EXACTLY_ONCE);
            CompletableFuture<?> second = client.publishAsync("t", "second", Qos.EXACTLY_ONCE);
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            second.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            FakeBroker.Packet pubrel1 = broker.nextPacket(PUBREL, WAIT);
            FakeBroker.Packet pubrel2 = broker.nextPacket(PUBREL, WAIT);
            assertNotEquals(firstId.get(), pubrel1.packetId(), "the PUBREC of the second publish came first");
            assertEquals(firstId.get(), pubrel2.packetId());
        }
    }

    @Test
    @Statement(v5 = {"MQTT-3.3.4-7", "MQTT-3.3.4-8", "MQTT-4.9.0-1", "MQTT-4.9.0-2", "MQTT-4.9.0-3"})
    void aSendQuotaUsedUpHoldsBackPublishesAndNothingElse() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> bytes("20 06 00 00 03 21 00 01"); // Receive Maximum 1
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(true, packet.packetId(), 1, null);
            default -> null; // no PUBACK until the test sends it
        }); MqttClient client = builder(broker, ProtocolVersion.V5).connect()) {
            CompletableFuture<?> first = client.publishAsync("t", "first", Qos.AT_LEAST_ONCE);
            FakeBroker.Packet sent = broker.nextPacket(PUBLISH, WAIT);
            assertNotNull(sent, "the first publish goes out at once: the quota starts at the Receive Maximum");
            CompletableFuture<?> second = client.publishAsync("t", "second", Qos.AT_LEAST_ONCE);

            client.subscribe("s", Qos.AT_LEAST_ONCE); // answered while the quota is 0

            FakeBroker.Packet next = broker.nextPacket(WAIT);
            assertEquals(FakeBroker.Packet.SUBSCRIBE, next.type(), "the SUBSCRIBE did not wait, the second PUBLISH did");
            assertFalse(second.isDone());
            broker.send(ack(0x40, sent.publishId()));
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            FakeBroker.Packet secondSent = broker.nextPacket(PUBLISH, WAIT);
            assertNotNull(secondSent, "the PUBACK gave the quota back");
            assertTrue(secondSent.contains("second"));
        }
    }

    @Test
    @Statement(v5 = {"MQTT-3.1.2-21", "MQTT-3.2.2-21"})
    void theServerKeepAliveReplacesTheClientsOwn() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> bytes("20 06 00 00 03 13 00 01"); // Server Keep Alive 1 s
            case FakeBroker.Packet.PINGREQ -> bytes("d0 00");
            default -> null;
        }); MqttClient client = builder(broker, ProtocolVersion.V5).keepAlive(Duration.ofMinutes(5)).connect()) {
            assertEquals(Duration.ofSeconds(1), client.connectResult().keepAlive());
            assertNotNull(broker.nextPacket(FakeBroker.Packet.PINGREQ, WAIT), "a PINGREQ long before 5 minutes");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v5 = "MQTT-3.2.2-4")
    void aBrokerClaimingASessionAfterACleanStartIsRefused(ProtocolVersion version) throws Exception {
        boolean v5 = version == ProtocolVersion.V5;
        try (FakeBroker broker = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT
                ? bytes(v5 ? "20 03 01 00 00" : "20 02 01 00") : null)) {
            MqttException e = assertThrows(MqttException.class, () -> builder(broker, version).cleanStart(true).connect());

            assertEquals(ReasonCode.PROTOCOL_ERROR, e.reasonCode());
            assertTrue(e.getMessage().endsWith("says a session is present although the client asked for a clean start"
                    + " [MQTT-3.2.2-4]"), e.getMessage());
            if (v5) {
                FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
                assertEquals(0x82, disconnect.body()[0] & 0xFF);
            }
            assertTrue(broker.awaitClosedByClient(WAIT));
        }
    }

    @Test
    @Statement(v5 = {"MQTT-3.2.2-11", "MQTT-3.2.2-14"})
    void publishesAboveTheBrokersMaximumQosOrRetainedWithoutRetainSupportAreRefusedUnsent() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT
                ? bytes("20 07 00 00 04 24 01 25 00") : null); // Maximum QoS 1, Retain Available 0
             MqttClient client = builder(broker, ProtocolVersion.V5).connect()) {
            MqttException qos = assertThrows(MqttException.class, () -> client.publish("t", "two", Qos.EXACTLY_ONCE));
            MqttException retain = assertThrows(MqttException.class, () -> client.publish("t", "kept", Qos.AT_MOST_ONCE, true));
            client.publish("t", "allowed", Qos.AT_MOST_ONCE);

            assertEquals(ReasonCode.QOS_NOT_SUPPORTED, qos.reasonCode());
            assertEquals(ReasonCode.RETAIN_NOT_SUPPORTED, retain.reasonCode());
            FakeBroker.Packet only = broker.nextPacket(PUBLISH, WAIT);
            assertTrue(only.contains("allowed"), "the refused publishes never went out");
        }
    }

    @Test
    @Statement(v5 = "MQTT-4.4.0-2")
    void aPubrecWithAnErrorEndsTheFlowWithoutPubrel() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(true, 0, null);
            case PUBLISH -> packet.flags() >> 1 == 2 ? packet(0x50, new byte[] {0, (byte) packet.publishId(), (byte) 0x80})
                    : null;
            default -> null;
        }); MqttClient client = builder(broker, ProtocolVersion.V5).connect()) {
            try {
                client.publishAsync("t", "refused", Qos.EXACTLY_ONCE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertInstanceOf(MqttException.class, e.getCause()); // the broker refused it: either way the flow ended
            }
            client.publish("t", "after", Qos.AT_MOST_ONCE);

            assertNotNull(broker.nextPacket(PUBLISH, WAIT));
            FakeBroker.Packet next = broker.nextPacket(WAIT);
            assertEquals(PUBLISH, next.type(), "no PUBREL after a PUBREC with an error");
            assertTrue(next.contains("after"));
        }
    }

    @Test
    void aBrokerWithoutSubscriptionIdentifiersGetsNoneAndAChosenOneIsRefusedUnsent() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> bytes("20 05 00 00 02 29 00"); // Subscription Identifier Available 0
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(true, packet.packetId(), 1, null);
            default -> null;
        }); MqttClient client = builder(broker, ProtocolVersion.V5).connect()) {
            SubscribeRequest tagged = SubscribeRequest.newBuilder().filter("tagged", Qos.AT_LEAST_ONCE).subscriptionIdentifier(3).build();
            MqttException e = assertThrows(MqttException.class, () -> client.subscribe(tagged));
            assertEquals(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, e.reasonCode());
            assertTrue(e.getMessage().contains("[tagged]"), e.getMessage());

            Subscription plain = client.subscribe("plain", Qos.AT_LEAST_ONCE);
            assertEquals(0, plain.identifier(), "no automatic identifier for a broker without them");
            Subscribe sent = (Subscribe) decode(ProtocolVersion.V5, broker.nextPacket(FakeBroker.Packet.SUBSCRIBE, WAIT));
            assertEquals("plain", sent.subscriptions().get(0).filter(), "the refused SUBSCRIBE never went out");
            assertFalse(sent.properties().contains(Property.SUBSCRIPTION_IDENTIFIER));
        }
    }

    @Test
    void theChosenIdentifierGoesOutAsAVariableByteInteger() throws Exception {
        try (FakeBroker broker = FakeBroker.start(answering(true));
             MqttClient client = builder(broker, ProtocolVersion.V5).connect()) {
            client.subscribe(SubscribeRequest.newBuilder().filter("tagged", Qos.AT_LEAST_ONCE)
                    .subscriptionIdentifier(SubscribeRequest.MAX_SUBSCRIPTION_IDENTIFIER).build());
            Subscribe sent = (Subscribe) decode(ProtocolVersion.V5, broker.nextPacket(FakeBroker.Packet.SUBSCRIBE, WAIT));
            assertEquals(SubscribeRequest.MAX_SUBSCRIPTION_IDENTIFIER, sent.properties().integer(Property.SUBSCRIPTION_IDENTIFIER, 0));
        }
    }

    @Test
    void aMessageTheBrokerDidNotTagStillReachesTheSubscriptionItMatches() throws Exception {
        // The broker said it supports subscription identifiers, then sent its PUBLISH without one.
        byte[] untagged = packet(0x30, concat(FakeBroker.string("sensors/1"), new byte[] {0}, "21.5".getBytes(StandardCharsets.UTF_8)));
        try (FakeBroker broker = AliasingBrokerClientTest.brokerSending(untagged);
             MqttClient client = builder(broker, ProtocolVersion.V5).connect();
             Subscription sensors = client.subscribe("sensors/+", Qos.AT_MOST_ONCE)) {
            assertNotEquals(0, sensors.identifier());
            MqttMessage message = sensors.receive(WAIT);
            assertNotNull(message, "routed by filter, since no subscription without an identifier matches");
            assertEquals("21.5", message.payloadAsString());
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @Test
    void requestProblemInformationGoesOutOnlyWhenDeclined() throws Exception {
        Connect byDefault = connectPacket(ProtocolVersion.V5, builder -> builder);
        assertFalse(byDefault.properties().contains(Property.REQUEST_PROBLEM_INFORMATION), "absent means 1");
        Connect declined = connectPacket(ProtocolVersion.V5, builder -> builder.requestProblemInformation(false));
        assertEquals(0, declined.properties().integer(Property.REQUEST_PROBLEM_INFORMATION, 1));
    }

    // --- helpers ---

    private static MqttClientBuilder builder(FakeBroker broker, ProtocolVersion version) {
        return MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).protocol(version)
                .keepAlive(Duration.ZERO).connectTimeout(WAIT).operationTimeout(WAIT);
    }

    /** Answers CONNECT, SUBSCRIBE, UNSUBSCRIBE, QoS 1/2 PUBLISH and PUBREL as a broker would. */
    private static FakeBroker.Script answering(boolean v5) {
        return packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(), 1, null);
            case FakeBroker.Packet.UNSUBSCRIBE -> FakeBroker.unsuback(v5, packet.packetId());
            case PUBLISH -> switch (packet.flags() >> 1 & 0b11) {
                case 1 -> ack(0x40, packet.publishId());
                case 2 -> ack(0x50, packet.publishId());
                default -> null;
            };
            case PUBREL -> ack(0x70, packet.packetId());
            default -> null;
        };
    }

    private interface Options {
        MqttClientBuilder apply(MqttClientBuilder builder);
    }

    private static Connect connectPacket(ProtocolVersion version, Options options) throws Exception {
        return connectPacket(version, options, new byte[1][]);
    }

    /** The CONNECT the client sent, decoded; {@code flags[0]} gets its connect flags byte. */
    private static Connect connectPacket(ProtocolVersion version, Options options, byte[][] flags) throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT
                ? FakeBroker.connack(version == ProtocolVersion.V5, 0, null) : null)) {
            options.apply(builder(broker, version)).connect().close();
            FakeBroker.Packet first = broker.nextPacket(WAIT);
            assertEquals(FakeBroker.Packet.CONNECT, first.type(), "the first packet is CONNECT");
            assertEquals(0, first.flags());
            flags[0] = new byte[] {first.body()[7]}; // after protocol name and level
            assertEquals(0, flags[0][0] & 0x01, "the reserved flag is 0");
            Connect connect = (Connect) decode(version, first);
            assertEquals(version, connect.version());
            return connect;
        }
    }

    /** Decodes what the client sent with the strict decoder, as a broker would read it. */
    private static Object decode(ProtocolVersion version, FakeBroker.Packet sent) throws MalformedPacketException {
        ByteBuffer whole = ByteBuffer.wrap(packet(sent.type() << 4 | sent.flags(), sent.body()));
        Object decoded = new PacketDecoder(version, 1 << 20).decode(whole);
        assertNotNull(decoded);
        assertFalse(whole.hasRemaining());
        return decoded;
    }

    private static List<FakeBroker.Packet> drain(FakeBroker broker) throws InterruptedException {
        List<FakeBroker.Packet> packets = new ArrayList<>();
        FakeBroker.Packet packet;
        while ((packet = broker.nextPacket(Duration.ZERO)) != null) {
            packets.add(packet);
        }
        return packets;
    }

    /** PUBACK (0x40), PUBREC (0x50), PUBREL (0x62) or PUBCOMP (0x70) for {@code packetId}, success. */
    private static byte[] ack(int firstByte, int packetId) {
        return packet(firstByte, new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
