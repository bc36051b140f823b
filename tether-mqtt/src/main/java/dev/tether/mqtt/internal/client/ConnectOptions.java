package dev.tether.mqtt.internal.client;

import static dev.tether.mqtt.internal.client.Arguments.range;
import static dev.tether.mqtt.internal.client.Arguments.seconds;

import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Will;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The builder's options that go into the CONNECT packet: who the client is, the protocol, the
 * credentials, keep alive, the will and the session and limits it asks for. Held for
 * {@code MqttClientBuilder}, which documents each; every setter checks its argument at once.
 *
 * <pre>{@code
 * ConnectOptions connect = new ConnectOptions().identifier("sensor-1").keepAlive(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ConnectOptions {

    private String identifier = "";
    private ProtocolVersion protocol = ProtocolVersion.V5;
    private String username;
    private byte[] password;
    private Duration keepAlive = Duration.ofSeconds(60);
    private MqttMessage will;
    private Duration willDelay = Duration.ZERO;
    private boolean cleanStart = true;
    private Duration sessionExpiry = Duration.ZERO;
    private int receiveMaximum; // 0: as many as one stream buffers, maxQueuedIncoming
    private boolean enforceReceiveMaximum; // off: MQTT 5 lets the client choose (3.3.4), and Mosquitto 2.0.11 overruns it
    private int maximumPacketSize = 16 * 1024 * 1024;
    private int topicAliasMaximum = 16;
    private boolean requestResponseInformation;
    private boolean requestProblemInformation = true;
    private boolean automaticSubscriptionIdentifiers = true;
    private final List<UserProperty> userProperties = new ArrayList<>();

    /** Options as {@code MqttClientBuilder} starts with them. */
    public ConnectOptions() {
    }

    public ConnectOptions identifier(String identifier) {
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        return this;
    }

    public ConnectOptions protocol(ProtocolVersion protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        return this;
    }

    /** The password is copied. */
    public ConnectOptions credentials(String username, byte[] password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = password == null ? null : password.clone();
        return this;
    }

    /** The password is sent as UTF-8; the caller may clear the array afterwards. */
    public ConnectOptions credentials(String username, char[] password) {
        byte[] bytes = null;
        if (password != null) {
            var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
        }
        credentials(username, bytes);
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
        return this;
    }

    public ConnectOptions keepAlive(Duration keepAlive) {
        this.keepAlive = seconds(keepAlive, 0, 65_535, "keep alive");
        return this;
    }

    public ConnectOptions will(MqttMessage will) {
        this.will = Objects.requireNonNull(will, "will");
        return this;
    }

    public ConnectOptions willDelay(Duration delay) {
        this.willDelay = seconds(delay, 0, 0xFFFF_FFFFL, "will delay");
        return this;
    }

    public ConnectOptions cleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
        return this;
    }

    public ConnectOptions sessionExpiry(Duration expiry) {
        this.sessionExpiry = seconds(expiry, 0, 0xFFFF_FFFFL, "session expiry");
        return this;
    }

    public ConnectOptions receiveMaximum(int receiveMaximum) {
        this.receiveMaximum = range(receiveMaximum, 1, 65_535, "receive maximum");
        return this;
    }

    public ConnectOptions enforceReceiveMaximum(boolean enforce) {
        this.enforceReceiveMaximum = enforce;
        return this;
    }

    public ConnectOptions automaticSubscriptionIdentifiers(boolean automatic) {
        this.automaticSubscriptionIdentifiers = automatic;
        return this;
    }

    boolean automaticSubscriptionIdentifiers() {
        return automaticSubscriptionIdentifiers;
    }

    public ConnectOptions maximumPacketSize(int bytes) {
        this.maximumPacketSize = range(bytes, 64, 268_435_460, "maximum packet size");
        return this;
    }

    public ConnectOptions topicAliasMaximum(int maximum) {
        this.topicAliasMaximum = range(maximum, 0, 65_535, "topic alias maximum");
        return this;
    }

    public ConnectOptions requestProblemInformation(boolean request) {
        this.requestProblemInformation = request;
        return this;
    }

    public ConnectOptions requestResponseInformation(boolean request) {
        this.requestResponseInformation = request;
        return this;
    }

    public ConnectOptions userProperty(String name, String value) {
        userProperties.add(new UserProperty(name, value));
        return this;
    }

    ProtocolVersion protocol() {
        return protocol;
    }

    Duration keepAlive() {
        return keepAlive;
    }

    int maximumPacketSize() {
        return maximumPacketSize;
    }

    /** {@return the highest topic alias the broker may use towards the client; none before MQTT 5} */
    int topicAliasMaximum() {
        return protocol == ProtocolVersion.V5 ? topicAliasMaximum : 0;
    }

    /**
     * {@return the Receive Maximum announced in CONNECT: how many QoS 1/2 publishes the broker may
     * leave unanswered; 0 before MQTT 5, which has no such limit}
     *
     * @param maxQueuedIncoming how many messages a stream buffers: the Receive Maximum unless one was set
     */
    int announcedReceiveMaximum(int maxQueuedIncoming) {
        if (protocol != ProtocolVersion.V5) {
            return 0;
        }
        return receiveMaximum != 0 ? receiveMaximum : Math.min(65_535, maxQueuedIncoming);
    }

    /**
     * {@return the Receive Maximum the client holds the broker to: 0 for none, in MQTT 3.1.1 or
     * when enforcing it is turned off}
     *
     * @param maxQueuedIncoming how many messages a stream buffers: the Receive Maximum unless one was set
     */
    int enforcedReceiveMaximum(int maxQueuedIncoming) {
        return enforceReceiveMaximum ? announcedReceiveMaximum(maxQueuedIncoming) : 0;
    }

    /** {@return whether the broker is to assign the identifier} */
    boolean identifierEmpty() {
        return identifier.isEmpty();
    }

    /**
     * The identifier to connect with: for MQTT 3.1.1 without one, a generated one, but only for a
     * clean session, which nobody needs to find again.
     *
     * @throws IllegalArgumentException for MQTT 3.1.1 without an identifier and with clean session off
     */
    String clientIdentifier() {
        if (!identifier.isEmpty() || protocol != ProtocolVersion.V3_1_1) {
            return identifier;
        }
        if (!cleanStart) {
            throw new IllegalArgumentException("MQTT 3.1.1 without a client identifier needs a clean session"
                    + " (MQTT-3.1.3-7): set identifier(...) to keep a session across connections, or cleanStart(true);"
                    + " an identifier made up by the client would differ on every run, and nobody could resume its session");
        }
        return "tether-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /**
     * The CONNECT packet.
     *
     * @param maxQueuedIncoming how many messages a stream buffers: the Receive Maximum unless one was set
     */
    Connect packet(String clientIdentifier, int maxQueuedIncoming) {
        return new Connect(protocol, clientIdentifier, cleanStart, (int) keepAlive.toSeconds(),
                connectProperties(maxQueuedIncoming), willPacket(), username, password);
    }

    private Properties connectProperties(int maxQueuedIncoming) {
        if (protocol != ProtocolVersion.V5) {
            if (!userProperties.isEmpty() || !sessionExpiry.isZero()) {
                throw new IllegalArgumentException("user properties and session expiry need MQTT 5");
            }
            return Properties.EMPTY;
        }
        Properties.Builder properties = Properties.builder();
        if (!sessionExpiry.isZero()) {
            properties.integer(Property.SESSION_EXPIRY_INTERVAL, sessionExpiry.toSeconds());
        }
        int announced = announcedReceiveMaximum(maxQueuedIncoming);
        if (announced != 65_535) {
            properties.integer(Property.RECEIVE_MAXIMUM, announced);
        }
        properties.integer(Property.MAXIMUM_PACKET_SIZE, maximumPacketSize);
        if (topicAliasMaximum != 0) {
            properties.integer(Property.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum);
        }
        if (requestResponseInformation) {
            properties.integer(Property.REQUEST_RESPONSE_INFORMATION, 1);
        }
        if (!requestProblemInformation) {
            properties.integer(Property.REQUEST_PROBLEM_INFORMATION, 0); // absent means 1
        }
        userProperties.forEach(properties::userProperty);
        return properties.build();
    }

    private Will willPacket() {
        if (will == null) {
            return null;
        }
        boolean v5 = protocol == ProtocolVersion.V5;
        Properties properties = v5 ? Messages.toPublish(will, will.qos() == Qos.AT_MOST_ONCE ? 0 : 1, true).properties()
                : Properties.EMPTY;
        if (v5 && !willDelay.isZero()) {
            properties = properties.toBuilder().integer(Property.WILL_DELAY_INTERVAL, willDelay.toSeconds()).build();
        }
        return new Will(will.topic().name(), will.payload(), will.qos(), will.isRetain(), properties);
    }

    /** {@return the identity, never the password} */
    @Override
    public String toString() {
        return "identifier=" + identifier + ", protocol=" + protocol + ", username=" + username
                + ", password=" + (password == null ? "absent" : "****");
    }
}
