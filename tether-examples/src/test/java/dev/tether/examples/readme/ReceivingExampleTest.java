package dev.tether.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "Receiving messages": aiomqtt's idiom, a subscription whose result is ignored and
 * one loop over every message, which must neither stall nor lose a message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceivingExampleTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static String LOCALHOST;

    @BeforeAll
    static void findTheBroker() {
        LOCALHOST = "mqtt://" + broker.host() + ":" + broker.port();
    }

    /** The example; it ends when its thread is interrupted. */
    static void receive() throws Exception {
        // snippet receiving
        try (MqttClient client = MqttClient.connect(LOCALHOST)) {
            client.subscribe("temperature/#", Qos.AT_LEAST_ONCE);      // result ignored: closing it would unsubscribe
            for (MqttMessage message : client.messages()) {
                System.out.println(message.topic() + ": " + message.payloadAsString());
            }
        }
        // end snippet
    }

    @Test
    void everyMessageIsPrintedAlthoughTheSubscriptionIsNeverRead() throws Exception {
        int messages = 2_000; // twice what one stream buffers: an unread subscription holding messages would stall
        try (MqttClient publisher = MqttClient.connect(LOCALHOST);
             PrintedLines printed = new PrintedLines()) {
            // A retained message arrives right after the SUBSCRIBE: once it is printed, the example
            // is subscribed and everything published next reaches it.
            publisher.publish("temperature/kitchen", "21.5", Qos.AT_LEAST_ONCE, true);
            Thread example = Thread.ofVirtual().start(() -> {
                try {
                    receive();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertEquals("temperature/kitchen: 21.5", printed.next(WAIT));
                for (int i = 0; i < messages; i++) {
                    publisher.publishAsync("temperature/room-" + i % 10, String.valueOf(i), Qos.AT_LEAST_ONCE);
                }
                for (int i = 0; i < messages; i++) {
                    assertEquals("temperature/room-" + i % 10 + ": " + i, printed.next(WAIT), "message " + i);
                }
            } finally {
                example.interrupt();
                assertTrue(example.join(WAIT), "the loop ended when its thread was interrupted");
                publisher.publish("temperature/kitchen", new byte[0], Qos.AT_LEAST_ONCE, true); // clears the retained message
            }
        }
    }
}
