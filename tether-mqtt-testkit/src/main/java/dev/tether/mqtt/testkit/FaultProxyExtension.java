package dev.tether.mqtt.testkit;

import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives each test a fresh {@link FaultProxy}: started before the test,
 * closed after it, so that no fault, count or recording carries over from one test to the next.
 * Registered as a static or as an instance field, it works the same way.
 *
 * <p>Try-with-resources does the same in one test; the extension saves it in classes where most
 * tests go through a proxy.
 *
 * <pre>{@code
 * class ReconnectTest {
 *     @RegisterExtension
 *     static final BrokerExtension broker = BrokerExtension.hivemq();
 *
 *     @RegisterExtension
 *     final FaultProxyExtension proxy = FaultProxyExtension.to(broker);
 *
 *     @Test
 *     void reconnectsAfterACut() throws Exception {
 *         try (MqttClient client = MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).connect()) {
 *             proxy.proxy().cutAll();
 *             assertTrue(proxy.proxy().awaitConnections(2, Duration.ofSeconds(10)));
 *         }
 *     }
 * }
 * }</pre>
 */
public final class FaultProxyExtension implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<String> targetHost;
    private final IntSupplier targetPort;
    private FaultProxy proxy;

    private FaultProxyExtension(Supplier<String> targetHost, IntSupplier targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /**
     * A proxy to the broker of {@code broker}, which is asked for its address before each test (so
     * it may be registered before or after this extension).
     *
     * <pre>{@code
     * @RegisterExtension
     * final FaultProxyExtension proxy = FaultProxyExtension.to(broker);
     * }</pre>
     *
     * @param broker the extension of the broker to forward to
     * @return the extension, to register
     */
    public static FaultProxyExtension to(BrokerExtension broker) {
        Objects.requireNonNull(broker, "broker");
        return new FaultProxyExtension(broker::host, broker::port);
    }

    /**
     * A proxy to {@code targetHost:targetPort}.
     *
     * <pre>{@code
     * @RegisterExtension
     * final FaultProxyExtension proxy = FaultProxyExtension.to("127.0.0.1", 1883);
     * }</pre>
     *
     * @param targetHost the server's host name or address
     * @param targetPort the server's port
     * @return the extension, to register
     */
    public static FaultProxyExtension to(String targetHost, int targetPort) {
        Objects.requireNonNull(targetHost, "targetHost");
        return new FaultProxyExtension(() -> targetHost, () -> targetPort);
    }

    /**
     * Starts the test's proxy.
     *
     * <pre>{@code
     * // called by JUnit
     * }</pre>
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        proxy = FaultProxy.start(targetHost.get(), targetPort.getAsInt());
    }

    /**
     * Closes the test's proxy, resetting its connections.
     *
     * <pre>{@code
     * // called by JUnit
     * }</pre>
     */
    @Override
    public void afterEach(ExtensionContext context) {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    /**
     * The current test's proxy; only valid while a test runs.
     *
     * <pre>{@code
     * proxy.proxy().blackhole(true);
     * }</pre>
     *
     * @return the proxy
     */
    public FaultProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("the proxy runs only while a test runs");
        }
        return proxy;
    }

    /**
     * Shorthand for {@code proxy().host()}.
     *
     * <pre>{@code
     * MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).connect();
     * }</pre>
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return proxy().host();
    }

    /**
     * Shorthand for {@code proxy().port()}.
     *
     * <pre>{@code
     * MqttClient.newBuilder().host(proxy.host()).port(proxy.port()).connect();
     * }</pre>
     *
     * @return the proxy's port
     */
    public int port() {
        return proxy().port();
    }

    /**
     * Shorthand for {@code proxy().uri()}.
     *
     * <pre>{@code
     * URI broker = URI.create(proxy.uri()); // for clients configured by URI
     * }</pre>
     *
     * @return {@code "mqtt://127.0.0.1:<port>"}
     */
    public String uri() {
        return proxy().uri();
    }
}
