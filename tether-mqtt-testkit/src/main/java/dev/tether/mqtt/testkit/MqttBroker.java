package dev.tether.mqtt.testkit;

/**
 * A running MQTT broker that tests connect to on loopback.
 *
 * <pre>{@code
 * try (MqttBroker broker = MosquittoBroker.start()) {
 *     connectTo(broker.host(), broker.port());
 * }
 * }</pre>
 */
public interface MqttBroker extends AutoCloseable {

    /**
     * How many messages the brokers of this package queue for one client, far above their
     * defaults of 1000: past its limit a broker drops messages for a client that publishes faster
     * than it consumes, and tests that count every message would see the broker's policy, not the
     * client's behaviour.
     */
    int MAX_QUEUED_MESSAGES = 1_000_000;

    /** The broker's name and version as shown in test output, e.g. {@code "mosquitto"}. */
    String name();

    /** The address the broker listens on; always a loopback address. */
    String host();

    /** The TCP port of the broker's MQTT listener. */
    int port();

    /** What the broker logged so far, shown when a test fails; empty when it logs elsewhere. */
    String log();

    /** Stops the broker and frees its port and files; idempotent. */
    @Override
    void close();
}
