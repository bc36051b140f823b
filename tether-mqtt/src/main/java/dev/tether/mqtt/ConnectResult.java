package dev.tether.mqtt;

import java.time.Duration;

/**
 * What the broker said when it accepted the connection, and the limits it set that the client
 * honours (MQTT 5 CONNACK; MQTT 3.1.1 brokers set none, so the defaults apply).
 *
 * <pre>{@code
 * ConnectResult connected = client.connectResult();
 * if (!connected.sessionPresent()) { resubscribe(); }
 * }</pre>
 *
 * @param sessionPresent whether the broker resumed a session for this client identifier
 * @param clientIdentifier the identifier in use: the one asked for or the one the broker assigned
 * @param keepAlive the keep alive in force: the server's when it set one
 * @param receiveMaximum how many QoS 1/2 publishes may await acknowledgement at once
 * @param maximumQos the highest QoS the broker accepts
 * @param retainAvailable whether the broker accepts retained messages
 * @param maximumPacketSize the largest packet the broker accepts, in bytes
 * @param topicAliasMaximum the highest topic alias the client may use; 0 for none
 * @param wildcardSubscriptionAvailable whether filters may contain wildcards
 * @param subscriptionIdentifiersAvailable whether subscriptions may carry identifiers
 * @param sharedSubscriptionAvailable whether shared subscriptions are supported
 */
public record ConnectResult(boolean sessionPresent, String clientIdentifier, Duration keepAlive, int receiveMaximum,
                            Qos maximumQos, boolean retainAvailable, int maximumPacketSize, int topicAliasMaximum,
                            boolean wildcardSubscriptionAvailable, boolean subscriptionIdentifiersAvailable,
                            boolean sharedSubscriptionAvailable) {
}
