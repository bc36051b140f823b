package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT 5 request/response and the acknowledgement of incoming messages, against a real broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class RequestAndAcknowledgementBehaviour {

    private static final Duration WAIT = Duration.ofSeconds(10);

    abstract MqttBroker broker();

    @Test
    void requestReturnsTheReplyCarryingItsCorrelationData() throws Exception {
        String service = "tether-test/service/" + UUID.randomUUID();
        try (MqttClient responder = connect(ProtocolVersion.V5);
             Subscription requests = responder.subscribe(service, Qos.AT_LEAST_ONCE);
             MqttClient requester = connect(ProtocolVersion.V5)) {
            CompletableFuture<byte[]> seenCorrelation = CompletableFuture.supplyAsync(() -> {
                try {
                    MqttMessage request = requests.receive(WAIT);
                    // The responder answers on the response topic with the same correlation data (MQTT 5, 4.10).
                    responder.publish(MqttMessage.newBuilder(request.responseTopic().name())
                            .payload("pong:" + request.payloadAsString())
                            .correlationData(request.correlationData())
                            .qos(Qos.AT_LEAST_ONCE).build());
                    return request.correlationData();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            MqttMessage reply = requester.request(service, "ping", WAIT);

            assertEquals("pong:ping", reply.payloadAsString());
            assertArrayEquals(seenCorrelation.get(10, TimeUnit.SECONDS), reply.correlationData());
        }
    }

    @Test
    void requestWithoutAResponderTimesOut() throws Exception {
        try (MqttClient requester = connect(ProtocolVersion.V5)) {
            MqttException e = assertThrows(MqttException.class,
                    () -> requester.request("tether-test/nobody/" + UUID.randomUUID(), "hello?", Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("no reply"), e.getMessage());
        }
    }

    @Test
    void requestNeedsMqtt5() throws Exception {
        try (MqttClient requester = connect(ProtocolVersion.V3_1_1)) {
            assertThrows(IllegalStateException.class, () -> requester.request("a/b", "x", WAIT));
        }
    }

    @Test
    void manualAcknowledgementHoldsBackTheNextMessageUntilAck() throws Exception {
        String topic = "tether-test/manual-ack/" + UUID.randomUUID();
        // Receive Maximum 1: the broker sends the second QoS 1 message only after the first is acknowledged.
        try (MqttClient consumer = MqttClient.newBuilder().host(broker().host()).port(broker().port())
                .receiveMaximum(1).manualAcknowledgement(true).connect();
             Subscription subscription = consumer.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient producer = connect(ProtocolVersion.V5)) {
            producer.publish(topic, "first", Qos.AT_LEAST_ONCE);
            producer.publish(topic, "second", Qos.AT_LEAST_ONCE);

            MqttMessage first = subscription.receive(WAIT);
            assertEquals("first", first.payloadAsString());
            // Taken but not acknowledged: the broker still waits for its PUBACK. [MQTT-3.3.4-9]
            assertNull(subscription.receive(Duration.ofMillis(700)), "the second message came before the first was acked");

            first.ack();
            MqttMessage second = subscription.receive(WAIT);
            assertNotNull(second, "the second message after ack()");
            assertEquals("second", second.payloadAsString());
            second.ack();
        }
    }

    @Test
    @Statement(v5 = "MQTT-4.3.2-4")
    void takingAMessageAcknowledgesItByDefault() throws Exception {
        String topic = "tether-test/auto-ack/" + UUID.randomUUID();
        try (MqttClient consumer = MqttClient.newBuilder().host(broker().host()).port(broker().port())
                .receiveMaximum(1).connect();
             Subscription subscription = consumer.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient producer = connect(ProtocolVersion.V5)) {
            for (int i = 0; i < 5; i++) {
                producer.publish(topic, "m" + i, Qos.AT_LEAST_ONCE);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, subscription.receive(WAIT).payloadAsString()); // [MQTT-4.6.0-2]
            }
        }
    }

    private MqttClient connect(ProtocolVersion version) throws MqttException {
        return MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version).connect();
    }
}
