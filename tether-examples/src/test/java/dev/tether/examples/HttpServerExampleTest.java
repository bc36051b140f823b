package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link WeatherService} as {@link HttpServerExample} runs it — on one shared client — driven by
 * real HTTP requests, with real MQTT clients on the other side of the embedded HiveMQ CE.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpServerExampleTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();
    // Unique per test: the broker is shared by every test of the JVM.
    private final String base = "tether-example/http/" + UUID.randomUUID();
    private final String humidityTopic = base + "/humidity/outside";
    private final String temperatureTopic = base + "/temperature/outside";
    private MqttClient client;
    private WeatherService service;

    @BeforeEach
    void startService() throws IOException {
        client = connect();
        service = WeatherService.start(client, 0, humidityTopic, temperatureTopic);
    }

    @AfterEach
    void stopService() {
        try {
            service.close();
            client.close();
        } finally {
            http.close();
        }
    }

    private static MqttClient connect() throws MqttException {
        return MqttClient.newBuilder().host(broker.host()).port(broker.port()).connect();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(service.uri().resolve(path)).timeout(WAIT)
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(service.uri().resolve(path)).timeout(WAIT).GET().build(),
                BodyHandlers.ofString());
    }

    @Test
    void postedHumidityIsPublishedWithQos1() throws Exception {
        try (MqttClient other = connect();
             Subscription humidity = other.subscribe(humidityTopic, Qos.AT_LEAST_ONCE)) {
            HttpResponse<String> response = post("humidity", "0.38");

            assertEquals(204, response.statusCode(), response.body());
            MqttMessage message = humidity.receive(WAIT);
            assertNotNull(message, "nothing published to " + humidityTopic);
            assertEquals("0.38", message.payloadAsString());
            assertEquals(Qos.AT_LEAST_ONCE, message.qos());
        }
    }

    @Test
    void humidityThatIsNotANumberIsRejectedWith400AndNotPublished() throws Exception {
        try (MqttClient other = connect();
             Subscription humidity = other.subscribe(humidityTopic, Qos.AT_LEAST_ONCE)) {
            HttpResponse<String> text = post("humidity", "abc");
            HttpResponse<String> empty = post("humidity", "");
            HttpResponse<String> notANumber = post("humidity", "NaN");

            assertEquals(400, text.statusCode());
            assertEquals("the body must be a number, e.g. 0.38; it was 'abc'", text.body());
            assertEquals(400, empty.statusCode());
            assertEquals("the body must be a number, e.g. 0.38; it was empty", empty.body());
            assertEquals(400, notANumber.statusCode());
            // Had a rejected body been published, it would arrive before this one: the same client
            // publishes both to one topic, and the broker keeps their order.
            assertEquals(204, post("humidity", "0.5").statusCode());
            assertEquals("0.5", humidity.receive(WAIT).payloadAsString());
        }
    }

    @Test
    void humidityAnswers405ToOtherMethodsAnd404ToOtherPaths() throws Exception {
        HttpResponse<String> get = get("humidity");
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
        assertEquals(404, post("humidity/inside", "0.38").statusCode());
        assertEquals(405, post("temperature", "28.3").statusCode());
    }

    @Test
    void temperatureIsNotFoundBeforeTheFirstReading() throws Exception {
        HttpResponse<String> response = get("temperature");

        assertEquals(404, response.statusCode());
        assertEquals("no reading yet", response.body());
    }

    @Test
    void temperatureReturnsTheLastReadingReceived() throws Exception {
        try (MqttClient sensor = connect()) {
            CompletableFuture<String> first = service.nextTemperature();
            sensor.publish(temperatureTopic, "28.3", Qos.AT_LEAST_ONCE);
            assertEquals("28.3", first.get(WAIT.toSeconds(), TimeUnit.SECONDS));

            HttpResponse<String> response = get("temperature");
            assertEquals(200, response.statusCode());
            assertEquals("28.3", response.body());
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));

            CompletableFuture<String> second = service.nextTemperature();
            sensor.publish(temperatureTopic, 29.1, Qos.AT_LEAST_ONCE);
            assertEquals("29.1", second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("29.1", get("temperature").body());
        }
    }

    @Test
    void concurrentRequestsShareTheOneClient() throws Exception {
        int requests = 50;
        try (MqttClient other = connect();
             Subscription humidity = other.subscribe(humidityTopic, Qos.AT_LEAST_ONCE)) {
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                HttpRequest request = HttpRequest.newBuilder(service.uri().resolve("humidity")).timeout(WAIT)
                        .POST(BodyPublishers.ofString("0." + i)).build();
                responses.add(http.sendAsync(request, BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertEquals(204, response.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
            }

            Set<String> received = new HashSet<>();
            for (int i = 0; i < requests; i++) {
                MqttMessage message = humidity.receive(WAIT);
                assertNotNull(message, "only " + received.size() + " of " + requests + " readings arrived");
                received.add(message.payloadAsString());
            }
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < requests; i++) {
                sent.add("0." + i);
            }
            assertEquals(sent, received);
        }
    }

    @Test
    void closeFreesThePortAndEndsTheThreadsButLeavesTheClientOpen() throws Exception {
        URI uri = service.uri();
        assertEquals(404, get("temperature").statusCode());

        service.close();

        assertTrue(service.threadsEnded(), "handler or reader threads still running");
        HttpRequest request = HttpRequest.newBuilder(uri.resolve("temperature")).timeout(WAIT).GET().build();
        IOException refused = assertThrows(IOException.class, () -> http.send(request, BodyHandlers.discarding()));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                () -> "expected the connection to be refused, got " + refused);
        try (ServerSocket again = new ServerSocket(uri.getPort(), 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(uri.getPort(), again.getLocalPort());
        }
        assertTrue(service.nextTemperature().isCompletedExceptionally(), "a waiter for the next reading would wait in vain");
        // The service only borrowed the client: it still publishes.
        assertFalse(client.publish(humidityTopic, "0.4", Qos.AT_LEAST_ONCE).reasonCode().isError());
        service.close(); // idempotent
    }

    @Test
    void httpPortDefaultsTo8080AndRejectsWhatItDoesNotKnow() {
        assertEquals(8080, HttpServerExample.httpPort(new String[0]));
        assertEquals(0, HttpServerExample.httpPort(new String[] {"--host", "localhost:1883", "--http-port", "0"}));
        assertEquals(9000, HttpServerExample.httpPort(new String[] {"--http-port=9000", "--host=localhost"}));
        assertThrows(IllegalArgumentException.class, () -> HttpServerExample.httpPort(new String[] {"--http-port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> HttpServerExample.httpPort(new String[] {"--http-port", "70000"}));
        assertThrows(IllegalArgumentException.class, () -> HttpServerExample.httpPort(new String[] {"--http-port"}));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> HttpServerExample.httpPort(new String[] {"--http_port", "9000"}));
        assertTrue(unknown.getMessage().contains("--http_port"), unknown.getMessage());
    }
}
