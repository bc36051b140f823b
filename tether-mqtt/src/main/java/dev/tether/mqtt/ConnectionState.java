package dev.tether.mqtt;

/**
 * Where a client's connection stands, from {@link MqttClient#state()}.
 *
 * <pre>{@code
 * if (client.state() != ConnectionState.CONNECTED) {
 *     client.awaitConnected(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public enum ConnectionState {
    /** Connected to a broker: operations go out at once. */
    CONNECTED,
    /**
     * The connection was lost and the client is trying to connect again: QoS 1 and 2 publishes
     * and subscriptions wait in the client's queue, iterators keep waiting.
     */
    RECONNECTING,
    /** Closed by the application, or lost for good when reconnecting is off. */
    CLOSED
}
