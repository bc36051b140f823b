package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ClientMetrics;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@code metrics()} counts, against the embedded broker. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsClientTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Test
    void countsMessagesBytesQueuesAndAcknowledgementLatency() throws Exception {
        String topic = "tether-test/metrics/" + UUID.randomUUID();
        try (MqttClient client = MqttClient.newBuilder().host(broker.broker().host()).port(broker.broker().port()).connect();
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            ClientMetrics before = client.metrics();
            for (int i = 0; i < 50; i++) {
                client.publish(topic, "message " + i, Qos.AT_LEAST_ONCE);
            }
            for (int i = 0; i < 50; i++) {
                assertNotNull(subscription.receive(Duration.ofSeconds(10)), "message " + i + " came back");
            }
            ClientMetrics metrics = client.metrics();
            assertEquals(50, metrics.messagesReceived() - before.messagesReceived());
            assertEquals(0, metrics.queuedIncoming());
            assertEquals(50, metrics.messagesSent() - before.messagesSent());
            assertEquals(50, metrics.publishes());
            assertTrue(metrics.bytesSent() > before.bytesSent() + 50 * "message 0".length()); // topic aliases shorten the topics
            assertTrue(metrics.bytesReceived() > before.bytesReceived() + 50 * "message 0".length());
            assertEquals(0, metrics.inFlight());
            assertEquals(0, metrics.queuedOutgoing());
            assertEquals(0, metrics.droppedIncoming());
            assertEquals(0, metrics.reconnects());
            assertTrue(metrics.publishLatencyP50().compareTo(Duration.ZERO) > 0);
            assertTrue(metrics.publishLatencyP50().compareTo(metrics.publishLatencyP99()) <= 0);
            assertTrue(metrics.publishLatencyP99().compareTo(metrics.publishLatencyMax()) <= 0);
        }
    }
}
