package dev.tether.mqtt.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A JUnit 5 extension that gives a test class a running broker: started before the first test,
 * stopped after the last, and its log printed when a test fails.
 *
 * <pre>{@code
 * class PublishTest {
 *     @RegisterExtension
 *     static final BrokerExtension broker = BrokerExtension.mosquitto();
 *
 *     @Test
 *     void publishes() {
 *         connectTo(broker.host(), broker.port());
 *     }
 * }
 * }</pre>
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final Supplier<MqttBroker> starter;
    private MqttBroker broker;

    private BrokerExtension(Supplier<MqttBroker> starter) {
        this.starter = starter;
    }

    /** A Mosquitto process per test class; fails the class when Mosquitto is not installed. */
    public static BrokerExtension mosquitto() {
        return new BrokerExtension(MosquittoBroker::start);
    }

    /** A Mosquitto process per test class with extra {@code mosquitto.conf} lines. */
    public static BrokerExtension mosquitto(String extraConfig) {
        return new BrokerExtension(() -> MosquittoBroker.start(extraConfig));
    }

    /** The embedded HiveMQ CE shared by the whole test JVM. */
    public static BrokerExtension hivemq() {
        return new BrokerExtension(EmbeddedHiveMq::shared);
    }

    /** A fresh embedded HiveMQ CE for this test class only (slower; for tests that need a clean broker). */
    public static BrokerExtension freshHivemq() {
        return new BrokerExtension(EmbeddedHiveMq::start);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (broker != null && !broker.log().isEmpty()) {
            System.err.printf("--- %s log for failed test %s ---%n%s--- end of %s log ---%n",
                    broker.name(), context.getDisplayName(), broker.log(), broker.name());
        }
    }

    /** The running broker; only valid between the class's first and last test. */
    public MqttBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while the test class runs");
        }
        return broker;
    }

    /** Shorthand for {@code broker().host()}. */
    public String host() {
        return broker().host();
    }

    /** Shorthand for {@code broker().port()}. */
    public int port() {
        return broker().port();
    }
}
