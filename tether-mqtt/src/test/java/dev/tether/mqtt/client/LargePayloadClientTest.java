package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large payloads are read from the socket straight into their own arrays, never past their end:
 * back-to-back large and small PUBLISHes arrive whole, in order, each with its own bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargePayloadClientTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A QoS 0 MQTT 5 PUBLISH to {@code topic}, without properties. */
    static byte[] publish(String topic, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(FakeBroker.string(topic));
        body.write(0); // no properties
        body.writeBytes(payload);
        return FakeBroker.packet(0x30, body.toByteArray());
    }

    @Test
    void largePublishesBackToBackArriveWholeAndInOrder() throws Exception {
        Random random = new Random(5);
        byte[][] payloads = {new byte[1 << 20], new byte[300_001], new byte[3], new byte[70_000], new byte[1 << 20]};
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < payloads.length; i++) {
            random.nextBytes(payloads[i]);
            stream.writeBytes(publish("t/" + i, payloads[i]));
        }
        try (FakeBroker broker = InboundLimitsTest.broker();
             MqttClient client = MqttClient.newBuilder().reconnect(false).host(broker.host()).port(broker.port()).connect();
             Subscription subscription = client.subscribe("t/+", Qos.AT_MOST_ONCE)) {
            broker.send(stream.toByteArray());
            for (int i = 0; i < payloads.length; i++) {
                MqttMessage message = subscription.receive(WAIT);
                assertNotNull(message, "message " + i + " came");
                assertEquals("t/" + i, message.topic().toString());
                assertArrayEquals(payloads[i], message.payload(), "payload of message " + i);
            }
        }
    }
}
