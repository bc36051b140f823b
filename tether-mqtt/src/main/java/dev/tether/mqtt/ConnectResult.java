package dev.tether.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the broker said when it accepted the connection: the whole MQTT 5 CONNACK, and the limits
 * it set that the client honours. MQTT 3.1.1 brokers set none, so the defaults apply.
 *
 * <p>A limit or assignment the CONNACK did not carry reads as the specification's default (or,
 * for the identifier, keep alive and session expiry, as the client's own value); {@link #isSet}
 * tells which ones the broker sent, and {@link #assignedClientIdentifier()} and
 * {@link #serverKeepAlive()} give the broker's own values only.
 *
 * <pre>{@code
 * ConnectResult connected = client.connectResult();
 * if (!connected.sessionPresent()) { resubscribe(); }
 * if (connected.isSet(ConnectResult.Property.RECEIVE_MAXIMUM)) {
 *     log.info("the broker takes {} QoS 1/2 messages at once", connected.receiveMaximum());
 * }
 * String replyPrefix = connected.responseInformation(); // with requestResponseInformation(true); may be null
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
 * @param sessionExpiry the session expiry in force: the server's when it set one, else the one
 *     the client asked for (zero for MQTT 3.1.1)
 * @param reasonString the broker's reason string, or null
 * @param userProperties the CONNACK's user properties, in order
 * @param responseInformation the broker's response information, the basis of response topics,
 *     or null; brokers send it only when asked with
 *     {@link MqttClientBuilder#requestResponseInformation(boolean)}, and may not even then
 * @param serverReference another server the broker suggests, or null
 * @param propertiesSet which of the limits and assignments the CONNACK carried
 */
public record ConnectResult(boolean sessionPresent, String clientIdentifier, Duration keepAlive, int receiveMaximum,
                            Qos maximumQos, boolean retainAvailable, int maximumPacketSize, int topicAliasMaximum,
                            boolean wildcardSubscriptionAvailable, boolean subscriptionIdentifiersAvailable,
                            boolean sharedSubscriptionAvailable, Duration sessionExpiry, String reasonString,
                            List<UserProperty> userProperties, String responseInformation, String serverReference,
                            Set<Property> propertiesSet) {

    /**
     * The CONNACK properties whose value, when absent, is a default: {@link #isSet} tells whether
     * the broker sent one.
     *
     * <pre>{@code
     * boolean assigned = result.isSet(ConnectResult.Property.ASSIGNED_CLIENT_IDENTIFIER);
     * }</pre>
     */
    public enum Property {
        /** Receive Maximum (default 65535): {@link ConnectResult#receiveMaximum()}. */
        RECEIVE_MAXIMUM,
        /** Maximum QoS (default 2): {@link ConnectResult#maximumQos()}. */
        MAXIMUM_QOS,
        /** Retain Available (default true): {@link ConnectResult#retainAvailable()}. */
        RETAIN_AVAILABLE,
        /** Maximum Packet Size (default: no limit but the protocol's): {@link ConnectResult#maximumPacketSize()}. */
        MAXIMUM_PACKET_SIZE,
        /** Topic Alias Maximum (default 0): {@link ConnectResult#topicAliasMaximum()}. */
        TOPIC_ALIAS_MAXIMUM,
        /** Wildcard Subscription Available (default true). */
        WILDCARD_SUBSCRIPTION_AVAILABLE,
        /** Subscription Identifiers Available (default true in MQTT 5). */
        SUBSCRIPTION_IDENTIFIERS_AVAILABLE,
        /** Shared Subscription Available (default true). */
        SHARED_SUBSCRIPTION_AVAILABLE,
        /** Server Keep Alive (default: the client's keep alive): {@link ConnectResult#serverKeepAlive()}. */
        SERVER_KEEP_ALIVE,
        /** Assigned Client Identifier (sent when the client connected without one). */
        ASSIGNED_CLIENT_IDENTIFIER,
        /** Session Expiry Interval (default: the client's): {@link ConnectResult#sessionExpiry()}. */
        SESSION_EXPIRY_INTERVAL
    }

    /**
     * Checks and copies.
     *
     * @throws NullPointerException if the identifier, a duration, the QoS, the user properties or
     *     the set of properties is null
     */
    public ConnectResult {
        Objects.requireNonNull(clientIdentifier, "clientIdentifier");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(maximumQos, "maximumQos");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        userProperties = List.copyOf(userProperties);
        propertiesSet = Set.copyOf(propertiesSet);
    }

    /**
     * A result with the limits only, as earlier versions had it: no session expiry, reason
     * string, user properties, response information or server reference, and no property
     * marked as set by the broker.
     *
     * <pre>{@code
     * ConnectResult result = new ConnectResult(false, "sensor-1", Duration.ofSeconds(60), 65_535,
     *         Qos.EXACTLY_ONCE, true, Integer.MAX_VALUE, 0, true, true, true);
     * }</pre>
     *
     * @param sessionPresent whether the broker resumed a session
     * @param clientIdentifier the identifier in use
     * @param keepAlive the keep alive in force
     * @param receiveMaximum how many QoS 1/2 publishes may await acknowledgement at once
     * @param maximumQos the highest QoS the broker accepts
     * @param retainAvailable whether the broker accepts retained messages
     * @param maximumPacketSize the largest packet the broker accepts
     * @param topicAliasMaximum the highest topic alias the client may use
     * @param wildcardSubscriptionAvailable whether filters may contain wildcards
     * @param subscriptionIdentifiersAvailable whether subscriptions may carry identifiers
     * @param sharedSubscriptionAvailable whether shared subscriptions are supported
     */
    public ConnectResult(boolean sessionPresent, String clientIdentifier, Duration keepAlive, int receiveMaximum,
                         Qos maximumQos, boolean retainAvailable, int maximumPacketSize, int topicAliasMaximum,
                         boolean wildcardSubscriptionAvailable, boolean subscriptionIdentifiersAvailable,
                         boolean sharedSubscriptionAvailable) {
        this(sessionPresent, clientIdentifier, keepAlive, receiveMaximum, maximumQos, retainAvailable, maximumPacketSize,
                topicAliasMaximum, wildcardSubscriptionAvailable, subscriptionIdentifiersAvailable,
                sharedSubscriptionAvailable, Duration.ZERO, null, List.of(), null, null, Set.of());
    }

    /**
     * Whether the broker's CONNACK carried {@code property}; when it did not, its accessor gives
     * the specification's default or the client's own value.
     *
     * @param property a limit or assignment of the CONNACK
     * @return true if the broker sent it
     */
    public boolean isSet(Property property) {
        return propertiesSet.contains(Objects.requireNonNull(property, "property"));
    }

    /**
     * The identifier the broker assigned because the client connected without one (MQTT 5
     * Assigned Client Identifier); {@link #clientIdentifier()} is then the same. The client
     * resumes its session under it when it reconnects, asking for it by name, so the CONNACK of a
     * reconnect assigns nothing and this is null there while {@code clientIdentifier()} stays.
     *
     * @return the assigned identifier, or null when the client chose its own
     */
    public String assignedClientIdentifier() {
        return isSet(Property.ASSIGNED_CLIENT_IDENTIFIER) ? clientIdentifier : null;
    }

    /**
     * The keep alive the broker imposed (MQTT 5 Server Keep Alive), which the client uses instead
     * of its own; {@link #keepAlive()} is then the same.
     *
     * @return the broker's keep alive, or null when it kept the client's
     */
    public Duration serverKeepAlive() {
        return isSet(Property.SERVER_KEEP_ALIVE) ? keepAlive : null;
    }
}
