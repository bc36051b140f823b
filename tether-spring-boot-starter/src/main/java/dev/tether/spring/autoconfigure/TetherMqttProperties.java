package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.ProtocolVersion;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tether.mqtt.*} properties of the shared client. Anything left out keeps the
 * client's own default (see {@link dev.tether.mqtt.MqttClientBuilder}).
 *
 * <pre>{@code
 * tether.mqtt.uri=mqtts://broker.example:8883
 * tether.mqtt.identifier=orders-service-1
 * tether.mqtt.username=orders
 * tether.mqtt.password=${MQTT_PASSWORD}
 * tether.mqtt.tls.bundle=mqtt
 * tether.mqtt.reconnect.max-delay=10s
 * }</pre>
 *
 * @param uri the broker as a URI ({@code mqtt://host:1883}, {@code mqtts://host}, {@code wss://host/mqtt},
 *     {@code unix:///path}); takes the place of host and port
 * @param servers several brokers as URIs, tried in order; takes the place of uri, host and port
 * @param host the broker's host name when no uri is given
 * @param port the broker's port when no uri is given; 1883 by default (8883 with TLS)
 * @param identifier the client identifier; empty lets an MQTT 5 broker assign one
 * @param username the user name, if the broker wants credentials
 * @param password the password, sent as UTF-8; never logged
 * @param protocol {@code v5} (the default) or {@code v3-1-1}
 * @param keepAlive the keep alive interval
 * @param cleanStart whether the broker discards an existing session
 * @param sessionExpiry MQTT 5: how long the broker keeps the session after the connection ends
 * @param connectTimeout how long connecting at start-up may take
 * @param operationTimeout how long a blocking publish or subscribe waits for the broker
 * @param closeTimeout how long closing at shutdown waits for QoS 1/2 publishes in flight
 * @param maxQueuedIncoming how many messages each stream (each listener) buffers
 * @param maxQueuedOutgoing how many QoS 1/2 messages may wait for the broker
 * @param will the will the broker publishes when the application vanishes without a clean shutdown
 * @param tls TLS through a Spring SSL bundle
 * @param reconnect automatic reconnect after a lost connection
 * @param listener the {@code @MqttListener} methods
 */
@ConfigurationProperties("tether.mqtt")
public record TetherMqttProperties(
        String uri,
        List<String> servers,
        @DefaultValue("localhost") String host,
        Integer port,
        @DefaultValue("") String identifier,
        String username,
        String password,
        @DefaultValue("v5") ProtocolVersion protocol,
        Duration keepAlive,
        Boolean cleanStart,
        Duration sessionExpiry,
        Duration connectTimeout,
        Duration operationTimeout,
        Duration closeTimeout,
        Integer maxQueuedIncoming,
        Integer maxQueuedOutgoing,
        Will will,
        @DefaultValue Tls tls,
        @DefaultValue Reconnect reconnect,
        @DefaultValue Listener listener) {

    /**
     * The will: published by the broker when the connection ends without a DISCONNECT.
     *
     * <pre>{@code
     * tether.mqtt.will.topic=status/orders-service
     * tether.mqtt.will.payload=offline
     * tether.mqtt.will.retain=true
     * }</pre>
     *
     * @param topic the topic of the will; no will without one
     * @param payload the payload, as UTF-8
     * @param qos 0, 1 or 2
     * @param retain whether the broker retains the will
     * @param delay MQTT 5: how long the broker waits before publishing it
     */
    public record Will(String topic, @DefaultValue("") String payload, @DefaultValue("0") int qos,
                       @DefaultValue("false") boolean retain, Duration delay) {
    }

    /**
     * TLS. With a bundle the client uses the bundle's {@code SSLContext} (its trust and key
     * material); with {@code enabled} alone, the JDK's trust store.
     *
     * <pre>{@code
     * spring.ssl.bundle.pem.mqtt.truststore.certificate=classpath:ca.pem
     * tether.mqtt.tls.bundle=mqtt
     * }</pre>
     *
     * @param enabled whether to use TLS; implied by a bundle or an {@code mqtts://} or {@code wss://} uri
     * @param bundle the name of a Spring SSL bundle ({@code spring.ssl.bundle.*})
     */
    public record Tls(@DefaultValue("false") boolean enabled, String bundle) {
    }

    /**
     * Reconnecting after a lost connection. Without either delay, the core's default backoff
     * ({@code Backoff.defaults()}: attempts at most 0.4 s apart for the first seconds, then growing
     * by 1.6 up to 30 s, with jitter); with one or both, exponential backoff doubling from the
     * initial delay (100 ms unless set) up to the maximum (30 s unless set), with jitter.
     *
     * <pre>{@code
     * tether.mqtt.reconnect.initial-delay=100ms
     * tether.mqtt.reconnect.max-delay=30s
     * }</pre>
     *
     * @param enabled whether the client reconnects by itself
     * @param initialDelay the wait before the first attempt; null for the default backoff
     * @param maxDelay the longest wait between attempts; null for the default backoff
     */
    public record Reconnect(@DefaultValue("true") boolean enabled, Duration initialDelay, Duration maxDelay) {
    }

    /**
     * The {@code @MqttListener} methods.
     *
     * <pre>{@code
     * tether.mqtt.listener.ack-mode=after-method
     * tether.mqtt.listener.auto-startup=true
     * }</pre>
     *
     * @param ackMode when a QoS 1/2 message is acknowledged to the broker
     * @param autoStartup whether listeners subscribe when the application starts
     */
    public record Listener(@DefaultValue("after-method") AckMode ackMode, @DefaultValue("true") boolean autoStartup) {
    }

    /**
     * When a QoS 1 or 2 message that a listener receives is acknowledged to the broker.
     *
     * <pre>{@code
     * tether.mqtt.listener.ack-mode=on-receipt
     * }</pre>
     */
    public enum AckMode {
        /**
         * After the listener method returned (or its error was handled): the client runs with
         * manual acknowledgement, so a message the application has not finished is not lost if the
         * process dies. Code that iterates a subscription of the shared client itself must then call
         * {@link dev.tether.mqtt.MqttMessage#ack()} on each message, since acknowledgements go out
         * in arrival order and one message never acknowledged holds back those after it.
         */
        AFTER_METHOD,
        /**
         * When the listener takes the message from its stream, before the method runs: the client's
         * default, automatic mode, for applications whose own code iterates subscriptions without
         * acknowledging.
         */
        ON_RECEIPT
    }
}
