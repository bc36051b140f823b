package dev.tether.examples.spring;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.testkit.EmbeddedHiveMq;
import dev.tether.spring.MqttListener;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's web example on Spring Boot: the starter opens one {@link MqttClient} when the
 * application starts, every bean shares it, and it is closed after the web server has drained its
 * requests — the analog of aiomqtt's FastAPI {@code lifespan}.
 *
 * <pre>{@code
 * curl -i -X POST --data 0.38 http://127.0.0.1:8080/humidity   # 204, published to humidity/outside
 * curl -i http://127.0.0.1:8080/temperature                     # 404 "no reading yet", or the last reading
 * curl http://127.0.0.1:8080/actuator/health/mqtt
 * }</pre>
 *
 * <p>Without {@code --tether.mqtt.host=...} (or {@code --tether.mqtt.uri=...}, or the
 * environment's {@code TETHER_MQTT_HOST} / {@code TETHER_MQTT_URI}) it starts a HiveMQ CE broker in
 * its own process, closed after the client.
 */
@SpringBootApplication
public class SpringWeatherApplication {

    /** Where the humidity goes. */
    static final String HUMIDITY_TOPIC = "humidity/outside";
    /** Where the temperature comes from. */
    static final String TEMPERATURE_TOPIC = "temperature/outside";

    /**
     * Runs the application until the JVM is stopped (Ctrl-C shuts it down gracefully).
     *
     * @param args Spring Boot arguments, such as {@code --server.port=9090} or {@code --tether.mqtt.host=localhost}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SpringWeatherApplication.class);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("management.endpoints.web.exposure.include", "health,metrics");
        defaults.put("management.endpoint.health.show-details", "always");
        if (!brokerConfigured(args)) {
            EmbeddedHiveMq broker = EmbeddedHiveMq.start();
            defaults.put("tether.mqtt.host", broker.host());
            defaults.put("tether.mqtt.port", broker.port());
            // A disposable bean registered first is destroyed last: after the client has closed.
            application.addInitializers(context -> ((DefaultListableBeanFactory) context.getBeanFactory())
                    .registerDisposableBean("embeddedBroker", broker::close));
            System.out.println("Started an embedded HiveMQ CE on " + broker.host() + ":" + broker.port());
        }
        application.setDefaultProperties(defaults);
        application.run(args);
    }

    private static boolean brokerConfigured(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.startsWith("--tether.mqtt.host") || arg.startsWith("--tether.mqtt.uri")
                || arg.startsWith("--tether.mqtt.servers"))
                || System.getenv("TETHER_MQTT_HOST") != null || System.getenv("TETHER_MQTT_URI") != null
                || System.getProperty("tether.mqtt.host") != null || System.getProperty("tether.mqtt.uri") != null;
    }

    /** Keeps the last temperature: a listener, on its own virtual thread. */
    @Component
    static class LatestTemperature {
        private final AtomicReference<String> latest = new AtomicReference<>();

        @MqttListener(topics = TEMPERATURE_TOPIC, qos = 1)
        void onTemperature(String value) {
            if (!value.isBlank()) {
                latest.set(value.trim());
            }
        }

        String latest() {
            return latest.get();
        }
    }

    /** The request handlers, which publish with the shared client. */
    @RestController
    static class WeatherController {
        private final MqttClient mqtt;
        private final LatestTemperature temperature;

        WeatherController(MqttClient mqtt, LatestTemperature temperature) {
            this.mqtt = mqtt;
            this.temperature = temperature;
        }

        @PostMapping("/humidity")
        ResponseEntity<String> humidity(@RequestBody String body) throws MqttException {
            String text = body.trim();
            // curl --data sends a form: Spring hands a form body back as "name=", here "0.38=".
            if (text.endsWith("=")) {
                text = text.substring(0, text.length() - 1);
            }
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return ResponseEntity.badRequest().body("the body must be a number, was '" + text + "'\n");
            }
            mqtt.publish(HUMIDITY_TOPIC, value, Qos.AT_LEAST_ONCE);
            return ResponseEntity.noContent().build();
        }

        @GetMapping("/temperature")
        ResponseEntity<String> temperature() {
            String value = temperature.latest();
            return value == null ? ResponseEntity.status(404).body("no reading yet\n") : ResponseEntity.ok(value + "\n");
        }
    }
}
