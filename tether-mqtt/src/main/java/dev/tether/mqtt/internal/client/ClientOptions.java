package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.IncomingOverflowPolicy;
import dev.tether.mqtt.ProtocolVersion;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The options of a connected client that the session needs, and its closing flag.
 *
 * @param protocol the protocol version
 * @param keepAlive the keep alive the client asked for
 * @param operationTimeout how long a call waits for a publish slot or a broker's reply
 * @param closeTimeout how long close() waits for publishes in flight
 * @param maxQueuedIncoming how many messages each stream buffers before the client stops reading
 * @param receiveMaximum the Receive Maximum the broker is held to; 0 for none (MQTT 3.1.1, or not enforced)
 * @param topicAliasMaximum the highest topic alias the broker may use towards the client
 * @param manualAcknowledgement whether the application acknowledges messages with {@link MqttMessage#ack()}
 * @param incomingOverflow what happens to a QoS 0 message for a full stream
 * @param queueQos0WhileDisconnected whether QoS 0 publishes wait in the outgoing queue while reconnecting
 * @param automaticSubscriptionIdentifiers whether subscriptions without an identifier of the application's get one of the client's
 * @param closing set once close() starts
 */
record ClientOptions(ProtocolVersion protocol, Duration keepAlive, Duration operationTimeout, Duration closeTimeout,
                     int maxQueuedIncoming, int receiveMaximum, int topicAliasMaximum, boolean manualAcknowledgement,
                     IncomingOverflowPolicy incomingOverflow, boolean queueQos0WhileDisconnected,
                     boolean automaticSubscriptionIdentifiers, AtomicBoolean closing) {

    boolean isClosing() {
        return closing.get();
    }
}
