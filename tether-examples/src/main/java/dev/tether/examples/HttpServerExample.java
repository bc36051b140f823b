package dev.tether.examples;

import dev.tether.mqtt.MqttClient;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Web framework integration without a framework: a JDK {@code HttpServer} whose request handlers
 * share the one {@link MqttClient} that {@code main} opens with try-with-resources (see
 * {@link WeatherService} for the endpoints). It is aiomqtt's "side by side with web frameworks":
 * the scope that owns the client is {@code main} itself, and the server lives inside it.
 *
 * <pre>{@code
 * java dev.tether.examples.HttpServerExample --http-port 8080 &
 * curl -i -X POST --data 0.38 http://127.0.0.1:8080/humidity    # 204, published to humidity/outside
 * curl -i http://127.0.0.1:8080/temperature                      # 404 "no reading yet", or the last reading
 * }</pre>
 *
 * <p>It runs until the JVM is stopped (Ctrl-C), then closes the server, the client and the broker
 * in that order.
 */
public final class HttpServerExample {

    static final int DEFAULT_HTTP_PORT = 8080;

    /** Bounds how long Ctrl-C waits for the clean close: the client's own close timeout is shorter. */
    private static final long CLOSE_WAIT_SECONDS = 60;

    private HttpServerExample() {
    }

    /**
     * Runs the example until the JVM is stopped.
     *
     * @param args {@code --host host[:port]} (without it a broker is embedded) and
     *     {@code --http-port N} (default 8080; 0 picks a free port)
     */
    public static void main(String[] args) throws Exception {
        int httpPort = httpPort(args);

        // Ctrl-C does not interrupt main: it runs the shutdown hooks, and the JVM halts once they
        // have returned. So the hook releases main and waits until the try-with-resources below has
        // closed everything — otherwise the client would never send its DISCONNECT.
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "http-server-example-stop"));

        try (BrokerArgument broker = BrokerArgument.from(args);
             MqttClient client = MqttClient.connect(broker.address());
             WeatherService service = WeatherService.start(client, httpPort)) {
            URI uri = service.uri();
            System.out.println("Connected to " + broker.description());
            System.out.println("Listening on " + uri);
            System.out.println("  curl -i -X POST --data 0.38 " + uri.resolve("humidity"));
            System.out.println("  curl -i " + uri.resolve("temperature"));
            System.out.println("Press Ctrl-C to stop.");
            stop.await();
            System.out.println("Stopping");
        } finally {
            closed.countDown();
        }
    }

    /**
     * Reads {@code --http-port N} or {@code --http-port=N}, and rejects arguments that neither
     * this nor {@link BrokerArgument} knows, so that a misspelt option is not silently ignored.
     *
     * @return the port, {@value #DEFAULT_HTTP_PORT} when not given
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static int httpPort(String[] args) {
        int port = DEFAULT_HTTP_PORT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--host")) {
                i++; // its value is BrokerArgument's
            } else if (arg.equals("--http-port")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--http-port needs a value: a port number, or 0 for any free port");
                }
                port = parsePort(args[++i]);
            } else if (arg.startsWith("--http-port=")) {
                port = parsePort(arg.substring("--http-port=".length()));
            } else if (!arg.startsWith("--host=")) {
                throw new IllegalArgumentException("unknown argument '" + arg
                        + "'; the options are --host host[:port] and --http-port N");
            }
        }
        return port;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the rule
        }
        throw new IllegalArgumentException("--http-port must be a number from 0 to 65535 (0 = any free port), was '"
                + text + "'");
    }
}
