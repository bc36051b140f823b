package dev.tether.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.EmbeddedHiveMq;
import dev.tether.mqtt.testkit.MqttBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link SpringWeatherApplication} driven over HTTP, with an independent client on the embedded broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tether.mqtt.identifier=spring-weather-example", "management.endpoint.health.show-details=always"})
@DirtiesContext
class SpringWeatherApplicationTest {

    private static final MqttBroker broker = EmbeddedHiveMq.shared();
    private static final Duration WAIT = Duration.ofSeconds(15);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("tether.mqtt.host", broker::host);
        registry.add("tether.mqtt.port", broker::port);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void postedHumidityIsPublishedAndTheLastTemperatureIsServed() throws Exception {
        try (MqttClient other = MqttClient.connect(broker.host() + ":" + broker.port());
             Subscription humidity = other.subscribe(SpringWeatherApplication.HUMIDITY_TOPIC, Qos.AT_LEAST_ONCE)) {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri("/humidity"))
                    .POST(HttpRequest.BodyPublishers.ofString("0.38")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, posted.statusCode(), posted.body());
            MqttMessage message = humidity.receive(WAIT);
            assertNotNull(message);
            assertEquals("0.38", message.payloadAsString());

            other.publish(SpringWeatherApplication.TEMPERATURE_TOPIC, "28.3", Qos.AT_LEAST_ONCE);
            long deadline = System.nanoTime() + WAIT.toNanos();
            CountDownLatch never = new CountDownLatch(1);
            String body = "";
            while (System.nanoTime() < deadline && !body.equals("28.3\n")) {
                body = http.send(HttpRequest.newBuilder(uri("/temperature")).build(), HttpResponse.BodyHandlers.ofString()).body();
                never.await(20, TimeUnit.MILLISECONDS);
            }
            assertEquals("28.3\n", body);
            String health = http.send(HttpRequest.newBuilder(uri("/actuator/health/mqtt")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(health.contains("\"UP\""), health);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
