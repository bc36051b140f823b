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
import dev.tether.mqtt.testkit.MqttBroker;
import dev.tether.mqtt.testkit.Poll;
import dev.tether.spring.autoconfigure.MqttListenerContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;

/** Shutdown order: listeners stop, the web server drains its requests (which still publish), then the client closes. */
class GracefulShutdownTest {

    private static final int REQUESTS = 8;

    @Test
    void requestsInFlightWhenShutdownBeginsStillPublishAndTheClientClosesAfterThem() throws Exception {
        MqttBroker broker = EmbeddedHiveMq.shared();
        try (MqttClient observer = MqttClient.connect(broker.host() + ":" + broker.port());
             Subscription drained = observer.subscribe("drain/+", Qos.AT_LEAST_ONCE)) {
            ConfigurableApplicationContext app = new SpringApplicationBuilder(WeatherApplication.class).properties(
                    "server.port=0", "spring.main.banner-mode=off",
                    "tether.mqtt.host=" + broker.host(), "tether.mqtt.port=" + broker.port(),
                    "tether.mqtt.identifier=weather-drain-test").run();
            WeatherApplication.Seen seen = app.getBean(WeatherApplication.Seen.class);
            MqttClient client = app.getBean(MqttClient.class);
            MqttListenerContainer listeners = app.getBean(MqttListenerContainer.class);
            WebServerGracefulShutdownLifecycle webServerDraining = app.getBean(WebServerGracefulShutdownLifecycle.class);
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();

            seen.gate = new CountDownLatch(1);
            seen.slowArrived = new CountDownLatch(REQUESTS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?n=" + i))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertTrue(seen.slowArrived.await(30, TimeUnit.SECONDS), "the requests did not all arrive");

            CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close, task -> Thread.ofVirtual().name("close").start(task));
            // Released only once the web server drains: the listeners have stopped by then, the client must not have.
            assertTrue(Poll.until(Duration.ofSeconds(30), () -> !webServerDraining.isRunning()), "graceful shutdown never began");
            assertTrue(!listeners.isRunning(), "listeners stop before the web server drains");
            seen.gate.countDown();
            closed.get(60, TimeUnit.SECONDS);

            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertEquals(204, response.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(REQUESTS, seen.stateWhenPublishing.size());
            seen.stateWhenPublishing.forEach(state -> assertEquals(ConnectionState.CONNECTED, state));
            Set<String> received = new HashSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                MqttMessage message = drained.receive(Duration.ofSeconds(15));
                assertNotNull(message, "received only " + received);
                received.add(message.payloadAsString());
            }
            assertEquals(REQUESTS, received.size());
            assertEquals(ConnectionState.CLOSED, client.state(), "the client closes with the context");
        }
    }
}
