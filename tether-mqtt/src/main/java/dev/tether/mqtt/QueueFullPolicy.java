package dev.tether.mqtt;

/**
 * What {@code publish} does with a QoS 1 or 2 message when the client's outgoing queue is full:
 * when {@link MqttClientBuilder#maxQueuedOutgoing(int)} messages already wait for the broker's
 * acknowledgement or for the connection to come back.
 *
 * <pre>{@code
 * MqttClient.newBuilder().maxQueuedOutgoing(10_000).whenOutgoingQueueFull(QueueFullPolicy.FAIL).connect();
 * }</pre>
 */
public enum QueueFullPolicy {
    /** Waits for room, at most the operation timeout, then fails: backpressure on the publisher. The default. */
    BLOCK,
    /** Fails at once with an {@link MqttException}: the caller decides what to do with the message. */
    FAIL
}
