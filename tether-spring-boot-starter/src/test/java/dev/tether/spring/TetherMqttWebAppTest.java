package dev.tether.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.EmbeddedHiveMq;
import dev.tether.mqtt.testkit.FaultProxy;
import dev.tether.mqtt.testkit.MqttBroker;
import dev.tether.mqtt.testkit.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole starter in a web application: real HTTP requests, the real embedded broker, and a
 * {@link FaultProxy} between the application and the broker for the connection faults.
 */
@SpringBootTest(classes = {WeatherApplication.class, TetherMqttWebAppTest.ProxyClosing.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tether.mqtt.identifier=weather-web-test",
        // The broker keeps the session across the cuts of the health test: the next test's
        // messages wait for the listeners' subscriptions there, instead of racing the SUBSCRIBEs
        // a new session would need after the reconnect.
        "tether.mqtt.session-expiry=5m",
        "tether.mqtt.reconnect.initial-delay=50ms",
        "tether.mqtt.reconnect.max-delay=300ms",
        // A small receive maximum: listeners that did not acknowledge would soon get nothing more.
        "tether.mqtt.max-queued-incoming=10",
        "management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class TetherMqttWebAppTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final MqttBroker broker = EmbeddedHiveMq.shared();
    private static final FaultProxy proxy = FaultProxy.start(broker.host(), broker.port());

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("tether.mqtt.host", proxy::host);
        registry.add("tether.mqtt.port", proxy::port);
    }

    /** Closes the proxy with the context, after the client: closed earlier, it would leave the client reconnecting. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ProxyClosing {
        @Bean(destroyMethod = "close")
        FaultProxy faultProxy() {
            return proxy;
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    MqttClient client;
    @Autowired
    WeatherApplication.Seen seen;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void heal() throws Exception {
        proxy.heal();
        proxy.refuseNew(false);
        client.awaitConnected(WAIT);
    }

    @Test
    void humidityPostedOverHttpIsReceivedByAnIndependentClient() throws Exception {
        try (MqttClient other = independentClient();
             Subscription humidity = other.subscribe("humidity/outside", Qos.AT_LEAST_ONCE)) {
            HttpResponse<String> response = post("/humidity", "0.38");
            assertEquals(204, response.statusCode(), response.body());
            MqttMessage message = humidity.receive(WAIT);
            assertNotNull(message, "the independent client received nothing");
            assertEquals("0.38", message.payloadAsString());
            assertEquals(Qos.AT_LEAST_ONCE, message.qos());
        }
    }

    @Test
    void temperatureFromAnIndependentClientReachesTheListenerAndTheGet() throws Exception {
        try (MqttClient other = independentClient()) {
            other.publish("temperature/outside", "28.3", Qos.AT_LEAST_ONCE);
            assertTrue(Poll.until(WAIT, () -> "28.3".equals(get("/temperature").body())),
                    "GET /temperature never answered 28.3, last: " + get("/temperature").body());
        }
    }

    @Test
    void objectsTravelAsJsonFromTheTemplateToAJsonListener() throws Exception {
        try (MqttClient other = independentClient();
             Subscription readings = other.subscribe("readings/+", Qos.AT_LEAST_ONCE)) {
            HttpResponse<String> response = post("/readings", "{\"sensor\":\"s-7\",\"celsius\":21.5}", "application/json");
            assertEquals(204, response.statusCode(), response.body());
            MqttMessage message = readings.receive(WAIT);
            assertNotNull(message);
            assertEquals("readings/s-7", message.topic().toString());
            assertTrue(message.payloadAsString().contains("\"celsius\":21.5"), message.payloadAsString());
            assertTrue(Poll.until(WAIT, () -> seen.readings.contains(new WeatherApplication.Reading("s-7", 21.5))),
                    "the listener got " + seen.readings);
        }
    }

    @Test
    void aFailingListenerGoesToTheErrorHandlerAndKeepsTakingMessages() throws Exception {
        try (MqttClient other = independentClient()) {
            other.publish("fragile/a", "fail-1", Qos.AT_LEAST_ONCE);
            other.publish("fragile/a", "after-1", Qos.AT_LEAST_ONCE);
            assertTrue(Poll.until(WAIT, () -> seen.afterFailure.contains("after-1")), "the listener stopped after a failure");
            assertTrue(seen.failures.stream().anyMatch(f -> f.equals("fragile fragile/a cannot take fail-1")), seen.failures.toString());
            assertEquals(ConnectionState.CONNECTED, client.state());
            assertTrue(Poll.until(WAIT, () -> metricValue("mqtt.listener.messages?tag=listener:fragile&tag=outcome:error") >= 1),
                    "the failure was not counted");
        }
    }

    @Test
    void listenersAcknowledgeEachMessageSoTheBrokerKeepsSendingPastTheReceiveMaximum() throws Exception {
        int count = 60; // six times the receive maximum of 10 the client announced
        try (MqttClient other = independentClient()) {
            for (int i = 0; i < count; i++) {
                other.publish("fragile/many", "many-" + i, Qos.AT_LEAST_ONCE);
            }
            assertTrue(Poll.until(WAIT, () -> seen.afterFailure.contains("many-" + (count - 1))),
                    "the listener stopped receiving: " + seen.afterFailure.size() + " messages");
            for (int i = 0; i < count; i++) {
                assertTrue(seen.afterFailure.contains("many-" + i), "missing many-" + i);
            }
            int first = seen.afterFailure.indexOf("many-0");
            assertEquals("many-" + (count - 1), seen.afterFailure.get(first + count - 1), "one listener thread keeps the order");
        }
    }

    @Test
    void healthGoesDownWhileTheBrokerIsUnreachableAndUpAfterTheReconnect() throws Exception {
        assertEquals(200, get("/actuator/health/mqtt").statusCode());
        assertTrue(get("/actuator/health/mqtt").body().contains("\"CONNECTED\""));

        proxy.refuseNew(true);
        proxy.cutAll();
        assertTrue(Poll.until(WAIT, () -> get("/actuator/health/mqtt").statusCode() == 503), "health never went DOWN");
        String down = get("/actuator/health/mqtt").body();
        assertTrue(down.contains("\"DOWN\"") && down.contains("RECONNECTING") && down.contains("\"error\""), down);

        proxy.refuseNew(false);
        assertTrue(Poll.until(WAIT, () -> get("/actuator/health/mqtt").statusCode() == 200), "health never came back UP");
        assertTrue(metricValue("mqtt.client.reconnects") >= 1);
    }

    @Test
    void clientMetricsAreExportedUnderMicrometerNames() throws Exception {
        post("/humidity", "0.5");
        assertTrue(metricValue("mqtt.client.messages.sent") >= 1);
        assertTrue(metricValue("mqtt.client.bytes.sent") > 0);
        assertEquals(1.0, metricValue("mqtt.client.connected"));
        assertEquals(200, get("/actuator/metrics/mqtt.client.publish.latency?tag=quantile:0.99").statusCode());
        assertEquals(200, get("/actuator/metrics/mqtt.client.queue.outgoing").statusCode());
    }

    private MqttClient independentClient() throws Exception {
        return MqttClient.connect(broker.host() + ":" + broker.port());
    }

    private double metricValue(String nameAndTags) {
        HttpResponse<String> response = get("/actuator/metrics/" + nameAndTags);
        assertEquals(200, response.statusCode(), nameAndTags + ": " + response.body());
        String body = response.body();
        int at = body.indexOf("\"value\":");
        assertTrue(at > 0, body);
        int end = at + 8;
        while (end < body.length() && "0123456789.-E".indexOf(body.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(body.substring(at + 8, end));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, "text/plain");
    }

    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
