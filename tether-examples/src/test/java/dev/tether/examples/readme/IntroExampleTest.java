package dev.tether.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's first example, aiomqtt's "sharing the connection": one client passed to every function. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntroExampleTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static String LOCALHOST;

    @BeforeAll
    static void findTheBroker() {
        LOCALHOST = "mqtt://" + broker.host() + ":" + broker.port();
    }

    // snippet intro
    static void publishHumidity(MqttClient client) throws Exception { client.publish("humidity/outside", 0.38); }
    static void publishTemperature(MqttClient client) throws Exception { client.publish("temperature/outside", 28.3); }

    public static void main(String[] args) throws Exception {
        try (MqttClient client = MqttClient.connect(LOCALHOST)) {
            publishHumidity(client);
            publishTemperature(client);
        }
    }
    // end snippet

    @Test
    void bothReadingsGoOutThroughTheOneClient() throws Exception {
        try (MqttClient listener = MqttClient.connect(LOCALHOST);
             Subscription readings = listener.subscribe("+/outside", Qos.AT_MOST_ONCE)) {
            assertNull(readings.poll()); // being consumed before the example publishes
            main(new String[0]);
            assertEquals("humidity/outside 0.38", text(readings));
            assertEquals("temperature/outside 28.3", text(readings));
        }
    }

    private static String text(Subscription readings) throws Exception {
        var message = readings.receive(Duration.ofSeconds(10));
        return message == null ? null : message.topic() + " " + message.payloadAsString();
    }
}
