package dev.tether.examples;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.time.Duration;

/**
 * The seed's "sharing the connection" example: one client, opened by try-with-resources and passed
 * to every function that needs it. To show that the messages really went out, a second client
 * subscribes first and prints what arrives.
 *
 * <p>Without arguments it starts a HiveMQ CE broker inside this process; {@code --host host[:port]}
 * uses a broker of your own.
 */
public final class SharingTheConnection {

    private SharingTheConnection() {
    }

    static void publishHumidity(MqttClient client) throws Exception {
        client.publish("humidity/outside", 0.38);
    }

    static void publishTemperature(MqttClient client) throws Exception {
        client.publish("temperature/outside", 28.3);
    }

    /**
     * Runs the example.
     *
     * @param args optionally {@code --host host[:port]}; without it a broker is embedded
     */
    public static void main(String[] args) throws Exception {
        try (BrokerArgument broker = BrokerArgument.from(args);
             MqttClient listener = MqttClient.connect(broker.address());
             Subscription readings = listener.subscribe("+/outside", Qos.AT_LEAST_ONCE)) {
            System.out.println("Connected to " + broker.description());

            // The seed's program, as written.
            try (MqttClient client = MqttClient.connect(broker.address())) {
                publishHumidity(client);
                publishTemperature(client);
            }

            for (int i = 0; i < 2; i++) {
                MqttMessage message = readings.receive(Duration.ofSeconds(10));
                if (message == null) {
                    throw new IllegalStateException("no message arrived within 10 s");
                }
                System.out.println("Received " + message.topic() + " = " + message.payloadAsString());
            }
        }
    }
}
