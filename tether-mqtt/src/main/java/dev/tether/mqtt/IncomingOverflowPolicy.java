package dev.tether.mqtt;

/**
 * What happens to an incoming QoS 0 message when the stream it is routed to already holds
 * {@link MqttClientBuilder#maxQueuedIncoming(int)} messages. QoS 1 and 2 messages are never
 * dropped: for them the client always stops reading from the broker until the application
 * catches up, and the broker keeps the rest.
 *
 * <p>Every dropped message is counted in {@link ClientMetrics#droppedIncoming()}.
 *
 * <pre>{@code
 * MqttClient.newBuilder().incomingOverflow(IncomingOverflowPolicy.DROP_OLDEST).connect();
 * }</pre>
 */
public enum IncomingOverflowPolicy {
    /** Stops reading from the broker until the consumer takes a message (TCP backpressure). The default. */
    BACKPRESSURE,
    /** Drops the message that arrived, keeping the ones already waiting. */
    DROP_NEWEST,
    /** Drops the oldest waiting QoS 0 message to make room; with none waiting, applies backpressure. */
    DROP_OLDEST
}
