package dev.tether.mqtt.client;

import static dev.tether.mqtt.client.FakeBroker.bytes;
import static dev.tether.mqtt.client.FakeBroker.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.UserProperty;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rules a broker must keep and the client enforces: the fake broker sends the offending bytes,
 * and the client closes the connection with the reason code the specification assigns (in a
 * DISCONNECT, in MQTT 5) and an {@link MqttException} that names the rule.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrictBrokerRulesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PUBACK = 4;
    private static final int PUBREC = 5;
    private static final int PUBCOMP = 7;

    // --- variable byte integers [MQTT-1.5.5-1] ---

    @Test
    @Statement(v5 = "MQTT-1.5.5-1")
    void remainingLengthInMoreBytesThanNeededClosesWithMalformedPacket() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(true));
             MqttClient client = connect(broker, ProtocolVersion.V5)) {
            broker.send(bytes("d0 80 00")); // PINGRESP, remaining length 0 in two bytes

            MqttException e = awaitClosedBy(broker, client, ReasonCode.MALFORMED_PACKET);
            assertTrue(e.getMessage().contains("remaining length 0 is encoded in 2 bytes instead of 1 [MQTT-1.5.5-1]"),
                    e.getMessage());
        }
    }

    @Test
    @Statement(v5 = "MQTT-1.5.5-1")
    void propertyLengthInMoreBytesThanNeededClosesWithMalformedPacket() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(true));
             MqttClient client = connect(broker, ProtocolVersion.V5)) {
            client.messages().iterator();
            broker.send(bytes("30 06 00 01 61 80 00 78")); // PUBLISH "a", property length 0 in two bytes

            MqttException e = awaitClosedBy(broker, client, ReasonCode.MALFORMED_PACKET);
            assertTrue(e.getMessage().contains("PUBLISH properties length 0 is encoded in 2 bytes instead of 1"), e.getMessage());
        }
    }

    /** MQTT 3.1.1 gives the same algorithm (2.2.3) but no rule that makes a longer encoding an error. */
    @Test
    void mqtt311AcceptsARemainingLengthInMoreBytesThanNeeded() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(false));
             MqttClient client = connect(broker, ProtocolVersion.V3_1_1)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send(bytes("30 85 80 00 00 01 61 78 79")); // PUBLISH "a" "xy", remaining length 5 in three bytes

            MqttMessage message = messages.next();
            assertEquals("xy", message.payloadAsString());
            assertEquals(ConnectionState.CONNECTED, client.state());
        }
    }

    // --- Request Problem Information 0 ---

    @Test
    void problemInformationOnASubackAfterTheClientDeclinedItClosesWithProtocolError() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(true, 0, "CONNACK may explain itself");
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(true, packet.packetId(), 1, "SUBACK may not");
            default -> null;
        }); MqttClient client = builder(broker, ProtocolVersion.V5).requestProblemInformation(false).connect()) {
            MqttException refused = assertThrows(MqttException.class, () -> client.subscribe("a", Qos.AT_LEAST_ONCE));
            assertEquals(ReasonCode.PROTOCOL_ERROR, refused.reasonCode(), refused.getMessage());

            MqttException e = awaitClosedBy(broker, client, ReasonCode.PROTOCOL_ERROR);
            assertTrue(e.getMessage().contains("SUBACK with a reason string or user properties")
                    && e.getMessage().contains("3.1.2.11.7"), e.getMessage());
        }
    }

    @Test
    void problemInformationOnPublishAndDisconnectIsAllowedAfterTheClientDeclinedIt() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(true, 0, "CONNACK may explain itself");
            case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(true, packet.packetId(), 1, null);
            default -> null;
        }); MqttClient client = builder(broker, ProtocolVersion.V5).requestProblemInformation(false).connect()) {
            MessageReader messages = new MessageReader(client.messages());
            // PUBLISH "a" with a user property "k" = "v", payload "x"
            broker.send(bytes("30 0c 00 01 61 07 26 00 01 6b 00 01 76 78"));
            MqttMessage message = messages.next(WAIT);
            assertNotNull(message, "the PUBLISH arrived");
            assertEquals(List.of(UserProperty.of("k", "v")), message.userProperties());
            broker.send(FakeBroker.disconnect(0x8B, "DISCONNECT may explain itself"));

            MqttException e = lost.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, e.reasonCode());
            assertTrue(e.getMessage().contains("DISCONNECT may explain itself"), e.getMessage());
        }
    }

    // --- fixed header flags ---

    @Test
    @Statement(v5 = {"MQTT-2.1.3-1", "MQTT-3.6.1-1"}, v311 = {"MQTT-2.2.2-2", "MQTT-3.6.1-1"})
    void wrongFixedHeaderFlagsCloseWithAMessageThatReadsAsASentence() throws Exception {
        for (ProtocolVersion version : ProtocolVersion.values()) {
            try (FakeBroker broker = FakeBroker.start(accept(version == ProtocolVersion.V5));
                 MqttClient client = connect(broker, version)) {
                broker.send(bytes("60 02 00 01")); // PUBREL with flags 0000

                MqttException e = awaitClosedBy(broker, client, ReasonCode.MALFORMED_PACKET);
                String rule = version == ProtocolVersion.V5 ? "[MQTT-2.1.3-1]" : "[MQTT-2.2.2-2]";
                assertTrue(e.getMessage().endsWith("PUBREL has fixed header flags 0000, must be 0010 " + rule), e.getMessage());
            }
        }
    }

    // --- SUBACK and UNSUBACK: one reason code per filter ---

    @Test
    @Statement(v311 = "MQTT-4.8.0-1")
    void subackWithFewerReasonCodesThanFiltersFailsTheSubscribeAndClosesTheConnection() throws Exception {
        for (ProtocolVersion version : ProtocolVersion.values()) {
            boolean v5 = version == ProtocolVersion.V5;
            try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
                case FakeBroker.Packet.CONNECT -> FakeBroker.connack(v5, 0, null);
                case FakeBroker.Packet.SUBSCRIBE -> FakeBroker.suback(v5, packet.packetId(), 1, null); // one code, two filters
                default -> null;
            }); MqttClient client = connect(broker, version)) {
                SubscribeRequest both = SubscribeRequest.newBuilder().filter("a", Qos.AT_LEAST_ONCE)
                        .filter("b", Qos.AT_LEAST_ONCE).build();

                MqttException e = assertThrows(MqttException.class, () -> client.subscribe(both));

                assertEquals(ReasonCode.PROTOCOL_ERROR, e.reasonCode());
                assertTrue(e.getMessage().contains("carries 1 reason code for the 2 topic filters of its SUBSCRIBE"),
                        e.getMessage());
                assertTrue(e.getMessage().contains(v5 ? "MQTT-3.8.4-6 (5.0)" : "MQTT-3.8.4-5 (3.1.1)"), e.getMessage());
                awaitClosedBy(broker, client, ReasonCode.PROTOCOL_ERROR);
            }
        }
    }

    @Test
    void unsubackWithMoreReasonCodesThanFiltersFailsTheUnsubscribeAndClosesTheConnection() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> switch (packet.type()) {
            case FakeBroker.Packet.CONNECT -> FakeBroker.connack(true, 0, null);
            case FakeBroker.Packet.UNSUBSCRIBE -> packet(0xB0, new byte[] {
                (byte) (packet.packetId() >> 8), (byte) packet.packetId(), 0, 0x00, 0x11}); // two codes, one filter
            default -> null;
        }); MqttClient client = connect(broker, ProtocolVersion.V5)) {
            MqttException e = assertThrows(MqttException.class, () -> client.unsubscribe("a"));

            assertEquals(ReasonCode.PROTOCOL_ERROR, e.reasonCode());
            assertTrue(e.getMessage().contains("carries 2 reason codes for the 1 topic filter of its UNSUBSCRIBE: one is due"
                    + " for each filter [MQTT-3.11.3-1]"), e.getMessage());
            awaitClosedBy(broker, client, ReasonCode.PROTOCOL_ERROR);
        }
    }

    // --- the client's Receive Maximum ---

    /** Messages the application has not taken are not acknowledged yet, and so count: the third is one too many. */
    @Test
    void moreUnacknowledgedPublishesThanTheReceiveMaximumCloseWith0x93() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(true));
             MqttClient client = connectWithReceiveMaximum(broker, 2)) {
            client.messages().iterator(); // a stream that takes nothing
            broker.send(publish(1, 1));
            broker.send(publish(1, 2));
            broker.send(publish(1, 3));

            MqttException e = awaitClosedBy(broker, client, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            assertTrue(e.getMessage().contains("sent QoS 1 PUBLISH 3 while 2 QoS 1/2 PUBLISHes await PUBACK or PUBCOMP,"
                    + " as many as the client's Receive Maximum of 2 allows [MQTT-3.3.4-9]"), e.getMessage());
        }
    }

    /** A QoS 2 message counts until its PUBCOMP, not only until its PUBREC. */
    @Test
    void aQos2PublishAnsweredWithPubrecStillCountsAgainstTheReceiveMaximum() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(true));
             MqttClient client = connectWithReceiveMaximum(broker, 2)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send(publish(2, 1));
            broker.send(publish(2, 2));
            messages.next();
            messages.next();
            broker.awaitAnswer(PUBREC, 1, WAIT);
            broker.awaitAnswer(PUBREC, 2, WAIT);
            broker.send(publish(1, 3));

            awaitClosedBy(broker, client, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
        }
    }

    /** The exact count: each PUBACK and PUBCOMP frees a place, and a QoS 2 copy sent again is not counted twice. */
    @Test
    void aBrokerWithinTheReceiveMaximumIsNeverCutOff() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(true));
             MqttClient client = connectWithReceiveMaximum(broker, 2)) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send(publish(1, 1));
            broker.send(publish(1, 2));
            messages.next();
            broker.awaitAnswer(PUBACK, 1, WAIT);
            broker.send(publish(1, 3)); // 2 and 3 unanswered
            messages.next();
            messages.next();
            broker.awaitAnswer(PUBACK, 2, WAIT);
            broker.awaitAnswer(PUBACK, 3, WAIT);
            broker.send(publish(2, 4));
            broker.send(publish(2, 5));
            broker.send(publish(2, 5)); // the same message again before its PUBREL
            messages.next();
            messages.next();
            broker.awaitAnswer(PUBREC, 4, WAIT);
            broker.awaitAnswer(PUBREC, 5, WAIT);
            broker.send(packet(0x62, bytes("00 04"))); // PUBREL 4
            broker.awaitAnswer(PUBCOMP, 4, WAIT);
            broker.send(publish(1, 6)); // 5 and 6 unanswered

            assertEquals("m6", messages.next().payloadAsString());
            broker.awaitAnswer(PUBACK, 6, WAIT);
            assertEquals(ConnectionState.CONNECTED, client.state());
        }
    }

    /** By default a broker that overruns the limit can still be used: the client takes the extra messages. */
    @Test
    void aBrokerOverrunningTheReceiveMaximumIsAcceptedByDefault() throws Exception {
        try (FakeBroker broker = FakeBroker.start(accept(true));
             MqttClient client = builder(broker, ProtocolVersion.V5).receiveMaximum(2).connect()) {
            Iterator<MqttMessage> messages = client.messages().iterator();
            broker.send(publish(1, 1));
            broker.send(publish(1, 2));
            broker.send(publish(1, 3));

            assertEquals("m1", messages.next().payloadAsString());
            assertEquals("m2", messages.next().payloadAsString());
            assertEquals("m3", messages.next().payloadAsString());
            broker.awaitAnswer(PUBACK, 1, WAIT);
            broker.awaitAnswer(PUBACK, 2, WAIT);
            broker.awaitAnswer(PUBACK, 3, WAIT);
            assertEquals(ConnectionState.CONNECTED, client.state());
        }
    }

    // --- helpers ---

    private static FakeBroker.Script accept(boolean v5) {
        return packet -> packet.type() == FakeBroker.Packet.CONNECT ? FakeBroker.connack(v5, 0, null) : null;
    }

    /** Why the latest client closed by itself, from its listener. */
    private CompletableFuture<MqttException> lost;

    private MqttClientBuilder builder(FakeBroker broker, ProtocolVersion version) {
        CompletableFuture<MqttException> cause = new CompletableFuture<>();
        lost = cause;
        return MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).protocol(version)
                .keepAlive(Duration.ZERO).connectTimeout(WAIT).operationTimeout(WAIT)
                .connectionListener(event -> {
                    if (event instanceof ConnectionEvent.Closed closed && closed.cause() != null) {
                        cause.complete(closed.cause()); // reconnecting is off: the client closes after the loss
                    }
                });
    }

    private MqttClient connect(FakeBroker broker, ProtocolVersion version) throws MqttException {
        return builder(broker, version).connect();
    }

    private MqttClient connectWithReceiveMaximum(FakeBroker broker, int receiveMaximum) throws MqttException {
        return builder(broker, ProtocolVersion.V5).receiveMaximum(receiveMaximum).enforceReceiveMaximum(true).connect();
    }

    /** A PUBLISH to "t" with payload "m" + the packet identifier, no properties. */
    private static byte[] publish(int qos, int packetId) {
        return packet(0x30 | qos << 1, bytes("00 01 74" + String.format(" %02x %02x", packetId >> 8, packetId & 0xFF)
                + " 00 6d" + String.format(" %02x", '0' + packetId)));
    }


    /**
     * The client closed the connection for {@code reason}: with a DISCONNECT carrying it in MQTT 5
     * (3.1.1 has no reason codes and just closes), and every later call fails with it.
     */
    private MqttException awaitClosedBy(FakeBroker broker, MqttClient client, ReasonCode reason) throws Exception {
        if (broker.v5()) {
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "the client sent no DISCONNECT");
            assertEquals(reason.code(), disconnect.body()[0] & 0xFF, "the DISCONNECT's reason code");
        }
        assertTrue(broker.awaitClosedByClient(WAIT), "the client closed the connection");
        MqttException cause = lost.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(reason, cause.reasonCode(), cause.getMessage());
        MqttException later = assertThrows(MqttException.class, () -> client.publish("a", "x"));
        assertEquals(reason, later.reasonCode(), later.getMessage());
        return cause;
    }
}
