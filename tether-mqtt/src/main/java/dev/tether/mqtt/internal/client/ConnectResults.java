package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.ConnectResult;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.internal.codec.Connack;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns an accepting CONNACK into the {@link ConnectResult} users see: every property the broker
 * sent, the specification's default (or the CONNECT's own value) for the ones it did not, and
 * which were which.
 *
 * <pre>{@code
 * ConnectResult result = ConnectResults.of(connect, connack, "sensor-1");
 * }</pre>
 */
final class ConnectResults {

    /** The CONNACK properties with a default, as the public enum names them. */
    private static final Map<Property, ConnectResult.Property> WITH_DEFAULTS = Map.ofEntries(
            Map.entry(Property.RECEIVE_MAXIMUM, ConnectResult.Property.RECEIVE_MAXIMUM),
            Map.entry(Property.MAXIMUM_QOS, ConnectResult.Property.MAXIMUM_QOS),
            Map.entry(Property.RETAIN_AVAILABLE, ConnectResult.Property.RETAIN_AVAILABLE),
            Map.entry(Property.MAXIMUM_PACKET_SIZE, ConnectResult.Property.MAXIMUM_PACKET_SIZE),
            Map.entry(Property.TOPIC_ALIAS_MAXIMUM, ConnectResult.Property.TOPIC_ALIAS_MAXIMUM),
            Map.entry(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, ConnectResult.Property.WILDCARD_SUBSCRIPTION_AVAILABLE),
            Map.entry(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, ConnectResult.Property.SUBSCRIPTION_IDENTIFIERS_AVAILABLE),
            Map.entry(Property.SHARED_SUBSCRIPTION_AVAILABLE, ConnectResult.Property.SHARED_SUBSCRIPTION_AVAILABLE),
            Map.entry(Property.SERVER_KEEP_ALIVE, ConnectResult.Property.SERVER_KEEP_ALIVE),
            Map.entry(Property.ASSIGNED_CLIENT_IDENTIFIER, ConnectResult.Property.ASSIGNED_CLIENT_IDENTIFIER),
            Map.entry(Property.SESSION_EXPIRY_INTERVAL, ConnectResult.Property.SESSION_EXPIRY_INTERVAL));

    private ConnectResults() {
    }

    /**
     * The result of {@code connack}, which accepted {@code connect}.
     *
     * @param clientIdentifier the identifier the client connected with
     */
    static ConnectResult of(Connect connect, Connack connack, String clientIdentifier) {
        Properties p = connack.properties();
        Set<ConnectResult.Property> set = EnumSet.noneOf(ConnectResult.Property.class);
        WITH_DEFAULTS.forEach((property, name) -> {
            if (p.contains(property)) {
                set.add(name);
            }
        });
        String assigned = p.string(Property.ASSIGNED_CLIENT_IDENTIFIER);
        long keepAlive = p.integer(Property.SERVER_KEEP_ALIVE, connect.keepAliveSeconds()); // [MQTT-3.1.2-21]
        long sessionExpiry = p.integer(Property.SESSION_EXPIRY_INTERVAL,
                connect.properties().integer(Property.SESSION_EXPIRY_INTERVAL, 0));
        return new ConnectResult(connack.sessionPresent(), assigned != null ? assigned : clientIdentifier,
                Duration.ofSeconds(keepAlive),
                (int) p.integer(Property.RECEIVE_MAXIMUM, 65_535),
                Qos.of((int) p.integer(Property.MAXIMUM_QOS, 2)),
                p.integer(Property.RETAIN_AVAILABLE, 1) == 1,
                (int) Math.min(Integer.MAX_VALUE, p.integer(Property.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE)),
                (int) p.integer(Property.TOPIC_ALIAS_MAXIMUM, 0),
                p.integer(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1,
                connect.version() == ProtocolVersion.V5 && p.integer(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1,
                p.integer(Property.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1,
                Duration.ofSeconds(sessionExpiry),
                p.string(Property.REASON_STRING),
                p.userProperties(),
                p.string(Property.RESPONSE_INFORMATION),
                p.string(Property.SERVER_REFERENCE),
                set);
    }
}
