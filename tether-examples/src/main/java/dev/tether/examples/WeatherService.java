package dev.tether.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Topic;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small HTTP API on the JDK's {@link HttpServer} whose request handlers all share one
 * {@link MqttClient} — aiomqtt's "side by side with web frameworks", without a framework. The
 * client is opened and closed by the caller's scope; the service only borrows it.
 *
 * <ul>
 *   <li>{@code POST /humidity} with a number as the body (e.g. {@code 0.38}) publishes it to
 *       {@code humidity/outside} with QoS 1 and answers {@code 204 No Content} once the broker has
 *       acknowledged it; {@code 400} when the body is not a number.</li>
 *   <li>{@code GET /temperature} answers {@code 200} with the last reading received on
 *       {@code temperature/outside}, or {@code 404 no reading yet}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (MqttClient client = MqttClient.connect("localhost");
 *      WeatherService service = WeatherService.start(client, 8080)) {
 *     System.out.println("Listening on " + service.uri());   // http://127.0.0.1:8080/
 *     new CountDownLatch(1).await();                         // serve until the JVM stops
 * }
 * }</pre>
 */
public final class WeatherService implements AutoCloseable {

    /** The topic {@code POST /humidity} publishes to unless another is given. */
    public static final String HUMIDITY_TOPIC = "humidity/outside";

    /** The topic {@code GET /temperature} reports from unless another is given. */
    public static final String TEMPERATURE_TOPIC = "temperature/outside";

    /** Any number fits; a longer body is not one, and reading it all would only cost memory. */
    private static final int MAX_BODY_BYTES = 64;

    /**
     * How long {@link #close()} lets requests in progress finish. The listening socket closes at
     * once either way; on JDK 21 (not 22+) {@code HttpServer.stop} waits this long even when idle.
     */
    private static final int STOP_DELAY_SECONDS = 1;

    private final MqttClient client;
    private final String humidityTopic;
    private final LatestReading temperature;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WeatherService(MqttClient client, String humidityTopic, LatestReading temperature, HttpServer server) {
        this.client = client;
        this.humidityTopic = humidityTopic;
        this.temperature = temperature;
        this.server = server;
        // One virtual thread per request: a handler blocks in publish() until the broker's PUBACK
        // without holding a platform thread, and all of them share the one client.
        this.handlers = Executors.newVirtualThreadPerTaskExecutor();
    }

    /**
     * Starts the service on {@code 127.0.0.1} with the default topics.
     *
     * @param client the shared, connected client; the service does not close it
     * @param httpPort the HTTP port, or 0 for any free one (see {@link #uri()})
     * @return the running service; close it to stop
     * @throws IOException if the port cannot be bound or the broker refused the subscription
     */
    public static WeatherService start(MqttClient client, int httpPort) throws IOException {
        return start(client, httpPort, HUMIDITY_TOPIC, TEMPERATURE_TOPIC);
    }

    /**
     * Starts the service on {@code 127.0.0.1}.
     *
     * @param client the shared, connected client; the service does not close it
     * @param httpPort the HTTP port, or 0 for any free one (see {@link #uri()})
     * @param humidityTopic where {@code POST /humidity} publishes
     * @param temperatureTopic what {@code GET /temperature} reports the last reading of
     * @return the running service; close it to stop
     * @throws IOException if the port cannot be bound or the broker refused the subscription
     * @throws IllegalArgumentException if {@code humidityTopic} is not a valid topic name
     */
    public static WeatherService start(MqttClient client, int httpPort, String humidityTopic, String temperatureTopic)
            throws IOException {
        Topic.of(humidityTopic); // fail here, not in every request
        // Subscribe before the first request can come, so that GET /temperature has a reader.
        LatestReading temperature = LatestReading.follow(client, temperatureTopic);
        try {
            // Loopback only: an example should not open a port to the network.
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 0);
            WeatherService service = new WeatherService(client, humidityTopic, temperature, server);
            server.setExecutor(service.handlers);
            server.createContext("/humidity", service::humidity);
            server.createContext("/temperature", service::temperature);
            server.start();
            return service;
        } catch (IOException | RuntimeException e) {
            temperature.close();
            throw e;
        }
    }

    /** {@return the address the service listens on, e.g. {@code http://127.0.0.1:8080/}} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void humidity(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/humidity")) {
                respond(exchange, 404, "no such resource; try POST /humidity");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, "use POST with a number as the body, e.g. 0.38");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                respond(exchange, 413, "the body must be a number, e.g. 0.38; it was longer than " + MAX_BODY_BYTES + " bytes");
                return;
            }
            String reading = new String(body, StandardCharsets.UTF_8).strip();
            if (reading.isEmpty()) {
                respond(exchange, 400, "the body must be a number, e.g. 0.38; it was empty");
                return;
            }
            if (!isNumber(reading)) {
                respond(exchange, 400, "the body must be a number, e.g. 0.38; it was '" + reading + "'");
                return;
            }
            try {
                // Waits for the broker's PUBACK, so 204 means the broker has the reading.
                client.publish(humidityTopic, reading, Qos.AT_LEAST_ONCE);
            } catch (MqttException e) {
                respond(exchange, 502, "the broker did not take the reading: " + e.getMessage());
                return;
            } catch (IllegalStateException e) {
                // The client is closed: the application is shutting down.
                respond(exchange, 503, "shutting down");
                return;
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Decimal notation as BigDecimal reads it; unlike Double it rejects NaN, Infinity and hex. */
    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void temperature(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/temperature")) {
                respond(exchange, 404, "no such resource; try GET /temperature");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, "use GET");
                return;
            }
            Optional<String> reading = temperature.latest();
            if (temperature.failure().isPresent()) {
                respond(exchange, 503, "no longer receiving readings: " + temperature.failure().get().getMessage());
            } else if (reading.isPresent()) {
                respond(exchange, 200, reading.get());
            } else {
                respond(exchange, 404, "no reading yet");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /**
     * {@return a future completed with the next temperature reading once {@code GET /temperature}
     * returns it} Lets a test wait for the reading instead of polling the endpoint.
     */
    CompletableFuture<String> nextTemperature() {
        return temperature.next();
    }

    /** {@return whether the request handlers and the temperature reader have all ended} */
    boolean threadsEnded() {
        return handlers.isTerminated() && temperature.readerEnded();
    }

    /**
     * Stops accepting connections, lets requests in progress finish (for about a second), then
     * unsubscribes from the temperature topic and waits for its reader to end. The client stays
     * open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(STOP_DELAY_SECONDS);
        handlers.close(); // HttpServer does not shut down the executor it was given
        temperature.close();
    }
}
