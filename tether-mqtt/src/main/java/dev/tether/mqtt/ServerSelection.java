package dev.tether.mqtt;

/**
 * The order in which a client given several servers tries them, when it connects and each time
 * it reconnects.
 *
 * <pre>{@code
 * MqttClient.newBuilder()
 *         .servers("mqtt://node-1:1883", "mqtt://node-2:1883", "mqtt://node-3:1883")
 *         .serverSelection(ServerSelection.RANDOM)
 *         .connect();
 * }</pre>
 */
public enum ServerSelection {
    /** The first server first, then the next: a primary with standbys. The default. */
    IN_ORDER,
    /** A server chosen at random for each attempt: spreads the clients of a cluster. */
    RANDOM
}
