package dev.tether.mqtt;

import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Will;
import dev.tether.mqtt.internal.connection.Traffic;
import dev.tether.mqtt.internal.session.StateStore;
import dev.tether.mqtt.internal.transport.Endpoint;
import dev.tether.mqtt.internal.transport.InboundLimits;
import dev.tether.mqtt.internal.transport.ProxyOptions;
import dev.tether.mqtt.internal.transport.TlsContextBuilder;
import dev.tether.mqtt.internal.transport.TransportOptions;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Configures and opens an {@link MqttClient}: {@link #connect()} returns a connected client or
 * throws. Every setter checks its argument at once and names the rule it breaks.
 *
 * <pre>{@code
 * try (MqttClient client = MqttClient.newBuilder()
 *         .host("broker.example").port(1883)
 *         .identifier("sensor-1")
 *         .protocol(ProtocolVersion.V3_1_1)
 *         .credentials("user", password)
 *         .keepAlive(Duration.ofSeconds(30))
 *         .will(MqttMessage.newBuilder("status/sensor-1").payload("offline").retain(true).build())
 *         .connect()) {
 *     client.publish("status/sensor-1", "online");
 * }
 * }</pre>
 */
public final class MqttClientBuilder {

    private String host = "localhost";
    private int port = 1883;
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
    private int maximumPacketSize = 16 * 1024 * 1024;
    private int topicAliasMaximum = 16;
    private boolean requestResponseInformation;
    private final List<UserProperty> userProperties = new ArrayList<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration operationTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private int maxQueuedIncoming = 1000;
    private boolean manualAcknowledgement;
    private final List<Endpoint> servers = new ArrayList<>();
    private ServerSelection serverSelection = ServerSelection.IN_ORDER;
    private boolean followServerReference;
    private Backoff backoff = Backoff.defaults();
    private int maxQueuedOutgoing = 10_000;
    private int maxInFlight; // 0: the default of the protocol version
    private QueueFullPolicy outgoingQueueFull = QueueFullPolicy.BLOCK;
    private IncomingOverflowPolicy incomingOverflow = IncomingOverflowPolicy.BACKPRESSURE;
    private boolean queueQos0WhileDisconnected;
    private final List<Consumer<? super ConnectionEvent>> connectionListeners = new ArrayList<>();
    private SessionStore sessionStore = SessionStore.inMemory();

    // Transports and security: see the block of methods from serverUri(String) on.
    private boolean portChosen;
    private Endpoint.Scheme scheme = Endpoint.Scheme.TCP;
    private String endpointPath = "";
    private final TlsContextBuilder tlsContext = new TlsContextBuilder();
    private List<String> tlsProtocols = TransportOptions.DEFAULT_TLS_PROTOCOLS;
    private final List<TransportOptions.Header> webSocketHeaders = new ArrayList<>();
    private ProxyOptions proxy;
    private Authenticator authenticator;
    private InboundLimits inboundLimits = InboundLimits.DEFAULTS;

    MqttClientBuilder() {
    }

    /**
     * The broker's host name or address; default {@code localhost}.
     *
     * @param host the host
     * @return this builder
     */
    public MqttClientBuilder host(String host) {
        if (Objects.requireNonNull(host, "host").isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        this.host = host;
        return this;
    }

    /**
     * The broker's TCP port; default 1883.
     *
     * @param port 1 to 65535
     * @return this builder
     */
    public MqttClientBuilder port(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
        this.port = port;
        this.portChosen = true;
        return this;
    }

    /**
     * The client identifier. Empty (the default) lets an MQTT 5 broker assign one; for MQTT 3.1.1
     * the client generates one.
     *
     * @param identifier the identifier, at most 65535 bytes of UTF-8
     * @return this builder
     */
    public MqttClientBuilder identifier(String identifier) {
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        return this;
    }

    /**
     * The protocol version; default {@link ProtocolVersion#V5}.
     *
     * @param protocol the version
     * @return this builder
     */
    public MqttClientBuilder protocol(ProtocolVersion protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        return this;
    }

    /**
     * User name and password. The password is copied and never shown in {@code toString} or logs.
     *
     * @param username the user name
     * @param password the password bytes
     * @return this builder
     */
    public MqttClientBuilder credentials(String username, byte[] password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = password == null ? null : password.clone();
        return this;
    }

    /**
     * User name and password, the password sent as UTF-8.
     *
     * @param username the user name
     * @param password the password characters; the caller may clear the array afterwards
     * @return this builder
     */
    public MqttClientBuilder credentials(String username, char[] password) {
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

    /**
     * The keep alive: the client sends a PINGREQ when it sent nothing for half this long, so the
     * broker hears from it at least this often, and a broker silent for 1.5 times this long is
     * declared gone. Zero turns keep-alive off. Default 60 s.
     *
     * @param keepAlive 0 to 65535 seconds
     * @return this builder
     */
    public MqttClientBuilder keepAlive(Duration keepAlive) {
        this.keepAlive = seconds(keepAlive, 0, 65_535, "keep alive");
        return this;
    }

    /**
     * The will: the message the broker publishes when the connection ends without a normal DISCONNECT.
     *
     * @param will the message; its MQTT 5 properties travel as will properties
     * @return this builder
     */
    public MqttClientBuilder will(MqttMessage will) {
        this.will = Objects.requireNonNull(will, "will");
        return this;
    }

    /**
     * MQTT 5: how long the broker waits before publishing the will.
     *
     * @param delay 0 to 4294967295 seconds
     * @return this builder
     */
    public MqttClientBuilder willDelay(Duration delay) {
        this.willDelay = seconds(delay, 0, 0xFFFF_FFFFL, "will delay");
        return this;
    }

    /**
     * Whether the broker discards any existing session (clean session in 3.1.1); default true.
     *
     * @param cleanStart true to start a new session
     * @return this builder
     */
    public MqttClientBuilder cleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
        return this;
    }

    /**
     * MQTT 5: how long the broker keeps the session after the connection ends; default 0.
     *
     * @param expiry 0 to 4294967295 seconds (the maximum means never)
     * @return this builder
     */
    public MqttClientBuilder sessionExpiry(Duration expiry) {
        this.sessionExpiry = seconds(expiry, 0, 0xFFFF_FFFFL, "session expiry");
        return this;
    }

    /**
     * MQTT 5: how many QoS 1/2 messages the broker may send before they are acknowledged. By
     * default as many as one stream buffers ({@link #maxQueuedIncoming(int)}, at most 65535): since
     * a message is acknowledged once the application takes it, this is the backpressure for QoS 1/2.
     *
     * @param receiveMaximum 1 to 65535
     * @return this builder
     */
    public MqttClientBuilder receiveMaximum(int receiveMaximum) {
        this.receiveMaximum = range(receiveMaximum, 1, 65_535, "receive maximum");
        return this;
    }

    /**
     * The largest packet the client accepts; larger ones close the connection with PACKET_TOO_LARGE.
     * Announced to MQTT 5 brokers. Default 16 MiB.
     *
     * @param bytes 64 to 268435460
     * @return this builder
     */
    public MqttClientBuilder maximumPacketSize(int bytes) {
        this.maximumPacketSize = range(bytes, 64, 268_435_460, "maximum packet size");
        return this;
    }

    /**
     * MQTT 5: the highest topic alias the broker may use towards the client; default 16, 0 for none.
     *
     * @param maximum 0 to 65535
     * @return this builder
     */
    public MqttClientBuilder topicAliasMaximum(int maximum) {
        this.topicAliasMaximum = range(maximum, 0, 65_535, "topic alias maximum");
        return this;
    }

    /**
     * MQTT 5: asks the broker for response information in CONNACK.
     *
     * @param request true to ask
     * @return this builder
     */
    public MqttClientBuilder requestResponseInformation(boolean request) {
        this.requestResponseInformation = request;
        return this;
    }

    /**
     * MQTT 5: a user property of the CONNECT.
     *
     * @param name the name
     * @param value the value
     * @return this builder
     */
    public MqttClientBuilder userProperty(String name, String value) {
        userProperties.add(new UserProperty(name, value));
        return this;
    }

    /**
     * How long {@link #connect()} waits for the TCP connection and the CONNACK; default 10 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public MqttClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connect timeout");
        return this;
    }

    /**
     * How long a blocking call waits for a publish slot or the broker's reply; default 30 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public MqttClientBuilder operationTimeout(Duration timeout) {
        this.operationTimeout = positive(timeout, "operation timeout");
        return this;
    }

    /**
     * How long {@link MqttClient#close()} waits for QoS 1/2 publishes in flight; default 5 s.
     * Should a write be stuck on a full socket (a broker that stopped reading), {@code close()}
     * closes the socket under it after twice this timeout, at least 1 s, so it always returns.
     *
     * @param timeout zero or a positive duration
     * @return this builder
     */
    public MqttClientBuilder closeTimeout(Duration timeout) {
        if (Objects.requireNonNull(timeout, "close timeout").isNegative()) {
            throw new IllegalArgumentException("close timeout must not be negative, was " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * How many messages each stream (a subscription, or {@link MqttClient#messages()}) buffers.
     * When one is full the client stops reading from the broker until a consumer takes a message:
     * TCP backpressure, nothing dropped. Default 1000.
     *
     * @param messages at least 1
     * @return this builder
     */
    public MqttClientBuilder maxQueuedIncoming(int messages) {
        this.maxQueuedIncoming = range(messages, 1, Integer.MAX_VALUE, "max queued incoming");
        return this;
    }

    /**
     * Opt-in manual acknowledgement: a QoS 1 or 2 message is acknowledged to the broker when the
     * application calls {@link MqttMessage#ack()}, not when it is taken from its stream. For
     * applications that must finish processing (say, a database write) before the broker may
     * forget the message. Default false.
     *
     * @param manual true to acknowledge by hand
     * @return this builder
     */
    public MqttClientBuilder manualAcknowledgement(boolean manual) {
        this.manualAcknowledgement = manual;
        return this;
    }

    // --- resilience ---

    /**
     * The servers to connect to, as URIs such as {@code mqtt://node-1:1883}, instead of
     * {@link #host(String)} and {@link #port(int)}: a broker cluster without a load balancer. The
     * client tries them in the order {@link #serverSelection(ServerSelection)} says, when it
     * connects and each time it reconnects, and resumes its session on whichever accepts.
     *
     * <pre>{@code
     * MqttClient.newBuilder().servers("mqtt://node-1:1883", "mqtt://node-2:1883").connect();
     * }</pre>
     *
     * @param uris one or more server URIs
     * @return this builder
     * @throws IllegalArgumentException if there is none, or one is not a server URI
     */
    public MqttClientBuilder servers(String... uris) {
        if (Objects.requireNonNull(uris, "uris").length == 0) {
            throw new IllegalArgumentException("servers needs at least one server URI");
        }
        List<Endpoint> parsed = new ArrayList<>();
        for (String uri : uris) {
            parsed.add(Endpoint.parse(uri));
        }
        servers.clear();
        servers.addAll(parsed);
        return this;
    }

    /**
     * The order in which several {@link #servers(String...)} are tried; {@link ServerSelection#IN_ORDER} by default.
     *
     * @param selection in order or at random
     * @return this builder
     */
    public MqttClientBuilder serverSelection(ServerSelection selection) {
        this.serverSelection = Objects.requireNonNull(selection, "selection");
        return this;
    }

    /**
     * Whether the client follows an MQTT 5 Server Reference: a broker that refuses the connection
     * or disconnects with "Use another server" or "Server moved" names the server to use instead.
     * Off by default, since it lets a broker send the client (and its credentials) elsewhere.
     *
     * @param follow true to connect to the referenced server on the next attempt
     * @return this builder
     */
    public MqttClientBuilder followServerReference(boolean follow) {
        this.followServerReference = follow;
        return this;
    }

    /**
     * Whether the client reconnects by itself when the connection is lost; on by default, with
     * {@link Backoff#defaults()}. While it reconnects, QoS 1/2 publishes and subscriptions wait in
     * its queue and iterators keep waiting; when off, a lost connection closes the client and
     * every waiting call fails with the cause.
     *
     * @param reconnect false to close the client when its connection is lost
     * @return this builder
     */
    public MqttClientBuilder reconnect(boolean reconnect) {
        this.backoff = reconnect ? Backoff.defaults() : null;
        return this;
    }

    /**
     * Reconnects automatically, waiting before each attempt as {@code backoff} says.
     *
     * <pre>{@code
     * builder.reconnect(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(10)));
     * }</pre>
     *
     * @param backoff the waits between attempts
     * @return this builder
     */
    public MqttClientBuilder reconnect(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /**
     * How many QoS 1/2 messages may wait for the broker's acknowledgement or for the connection
     * to come back, in flight included; 10,000 by default. When the queue is full,
     * {@link #whenOutgoingQueueFull(QueueFullPolicy)} decides.
     *
     * @param messages 1 to 65,000 (packet identifiers are 16 bits, and subscriptions need some)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public MqttClientBuilder maxQueuedOutgoing(int messages) {
        this.maxQueuedOutgoing = range(messages, 1, 65_000, "max queued outgoing");
        return this;
    }

    /**
     * How many QoS 1/2 publishes may await the broker's acknowledgement at once; an MQTT 5
     * broker's Receive Maximum lowers it further. By default an MQTT 5 client sends as many as
     * the broker's Receive Maximum allows, and an MQTT 3.1.1 client 20: a 3.1.1 broker cannot
     * announce its limit, and Mosquitto, whose default limit is 20, answers the QoS 2 messages
     * beyond it with a PUBREC and drops them, which 3.1.1 has no reason code to report (the kill -9
     * and cut-storm tests lost some 40 % of 2,000 QoS 2 messages published 100 at a time that way).
     *
     * <pre>{@code
     * MqttClient.newBuilder().protocol(ProtocolVersion.V3_1_1).maxInFlight(100).connect(); // a broker known to allow 100
     * }</pre>
     *
     * @param messages 1 to 65,535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public MqttClientBuilder maxInFlight(int messages) {
        this.maxInFlight = range(messages, 1, 65_535, "max in flight");
        return this;
    }

    /**
     * What {@code publish} does when the outgoing queue is full; {@link QueueFullPolicy#BLOCK} by default.
     *
     * @param policy block (at most the operation timeout) or fail at once
     * @return this builder
     */
    public MqttClientBuilder whenOutgoingQueueFull(QueueFullPolicy policy) {
        this.outgoingQueueFull = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * What happens to an incoming QoS 0 message when its stream is full;
     * {@link IncomingOverflowPolicy#BACKPRESSURE} by default. Drops are counted in {@link ClientMetrics}.
     *
     * @param policy backpressure, or drop the newest or the oldest QoS 0 message
     * @return this builder
     */
    public MqttClientBuilder incomingOverflow(IncomingOverflowPolicy policy) {
        this.incomingOverflow = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Whether a QoS 0 publish made while the client reconnects waits in the outgoing queue and
     * goes out once connected. Off by default: QoS 0 promises nothing, so it fails at once.
     *
     * @param queue true to queue QoS 0 publishes while disconnected
     * @return this builder
     */
    public MqttClientBuilder queueQos0WhileDisconnected(boolean queue) {
        this.queueQos0WhileDisconnected = queue;
        return this;
    }

    /**
     * Where the client keeps the session state that must survive: unacknowledged outgoing QoS 1/2
     * messages and the identifiers of incoming QoS 2 messages not yet released. In memory by
     * default, which survives reconnects; {@link SessionStore#file(java.nio.file.Path)} also
     * survives the process, so a client restarted with the same identifier and store completes
     * the flows its predecessor started. A durable store needs a fixed {@link #identifier(String)}.
     *
     * <pre>{@code
     * MqttClient.newBuilder().identifier("meter-17").cleanStart(false).sessionExpiry(Duration.ofHours(1))
     *         .sessionStore(SessionStore.file(Path.of("/var/lib/meter/mqtt")))
     *         .connect();
     * }</pre>
     *
     * @param store in memory or a file store
     * @return this builder
     */
    public MqttClientBuilder sessionStore(SessionStore store) {
        this.sessionStore = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * Adds a listener for {@link ConnectionEvent}s, the first connection's included. It runs on a
     * virtual thread of its own, one event at a time; it may block without slowing the client.
     *
     * @param listener called for each event
     * @return this builder
     */
    public MqttClientBuilder connectionListener(Consumer<? super ConnectionEvent> listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * The broker as a URI, which says how to reach it as well as where: {@code mqtt://host:1883}
     * (or {@code tcp://}), {@code mqtts://host:8883} (or {@code ssl://}, {@code tls://}: TLS),
     * {@code ws://host:80/mqtt}, {@code wss://host:443/mqtt} (WebSocket, path {@code /mqtt} unless
     * the URI names one) and {@code unix:///path/to/socket}. Ports default as shown; WebSocket
     * ports follow the {@code ws}/{@code wss} URI rules (80, 443), so a broker listening on, say,
     * 8080 or 9001 needs the port in the URI. Replaces host, port and transport set before.
     *
     * @param uri the server URI; no user name or password in it (use {@code credentials})
     * @return this builder
     */
    public MqttClientBuilder serverUri(String uri) {
        Endpoint endpoint = Endpoint.parse(uri);
        this.scheme = endpoint.scheme();
        this.endpointPath = endpoint.path();
        if (endpoint.scheme() != Endpoint.Scheme.UNIX) {
            this.host = endpoint.host();
            this.port = endpoint.port();
            this.portChosen = true;
        }
        return this;
    }

    /**
     * Connects through a Unix domain socket instead of TCP, for a broker on the same machine.
     *
     * @param socket the socket file, such as {@code /run/mosquitto/mqtt.sock}
     * @return this builder
     */
    public MqttClientBuilder unixSocket(Path socket) {
        this.scheme = Endpoint.Scheme.UNIX;
        this.endpointPath = Objects.requireNonNull(socket, "socket").toString();
        return this;
    }

    /**
     * Turns on TLS: the server's certificate is checked against the JDK's trust store (or the
     * {@linkplain #trustedCertificates(Path) trusted certificates}) and must name the host
     * connected to; TLS 1.3 and 1.2 only. The port becomes 8883 (443 for WebSocket) unless one
     * was set.
     *
     * @return this builder
     */
    public MqttClientBuilder tls() {
        this.scheme = scheme.withTls();
        return this;
    }

    /**
     * Turns on TLS with a ready-made context, for trust and key material managed elsewhere.
     * Host name verification stays on. Cannot be combined with the other certificate options.
     *
     * @param context the context
     * @return this builder
     */
    public MqttClientBuilder tls(SSLContext context) {
        tlsContext.sslContext(Objects.requireNonNull(context, "SSL context"));
        return tls();
    }

    /**
     * Turns on TLS and trusts the CA certificates of a PEM file instead of the JDK's trust store:
     * for a broker with a private CA.
     *
     * @param pem a file of one or more {@code -----BEGIN CERTIFICATE-----} blocks
     * @return this builder
     */
    public MqttClientBuilder trustedCertificates(Path pem) {
        tlsContext.trustedCertificates(Objects.requireNonNull(pem, "trusted certificates"));
        return tls();
    }

    /**
     * Turns on TLS with a client certificate (mutual TLS) from PEM files.
     *
     * @param certificatePem the client's certificate, followed by any intermediate certificates
     * @param keyPem its private key: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA, EC or
     *     EdDSA) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY})
     * @return this builder
     */
    public MqttClientBuilder clientCertificate(Path certificatePem, Path keyPem) {
        tlsContext.clientCertificate(Objects.requireNonNull(certificatePem, "certificate"), Objects.requireNonNull(keyPem, "key"));
        return tls();
    }

    /**
     * Turns on TLS with a client certificate (mutual TLS) from a PKCS12 or JKS key store whose
     * key has the store's password.
     *
     * @param keyStore the key store file
     * @param password its password; copied, the caller may clear the array afterwards
     * @return this builder
     */
    public MqttClientBuilder clientKeyStore(Path keyStore, char[] password) {
        tlsContext.clientKeyStore(Objects.requireNonNull(keyStore, "key store"), password);
        return tls();
    }

    /**
     * Turns on TLS and turns OFF every check of the server: any certificate is accepted and the
     * host name is not verified, so anyone on the network path can pose as the broker. For tests
     * against self-signed brokers only; a WARNING is logged when a client connects this way.
     *
     * @return this builder
     */
    public MqttClientBuilder insecureTrustAll() {
        tlsContext.insecureTrustAll();
        return tls();
    }

    /**
     * The TLS versions offered; default {@code TLSv1.3} and {@code TLSv1.2}.
     *
     * @param protocols JSSE protocol names, at least one
     * @return this builder
     */
    public MqttClientBuilder tlsProtocols(String... protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("at least one TLS protocol must be given");
        }
        this.tlsProtocols = List.of(protocols);
        return tls();
    }

    /**
     * Carries MQTT in WebSocket frames (subprotocol {@code mqtt}); with {@link #tls()} over TLS.
     * The port becomes 80 (443 with TLS) unless one was set.
     *
     * @return this builder
     */
    public MqttClientBuilder webSocket() {
        this.scheme = scheme.withWebSocket();
        return this;
    }

    /**
     * Turns on WebSocket with the given request path; default {@code /mqtt}.
     *
     * @param path the path, starting with {@code /}, with any query
     * @return this builder
     */
    public MqttClientBuilder webSocketPath(String path) {
        if (!Objects.requireNonNull(path, "path").startsWith("/")) {
            throw new IllegalArgumentException("WebSocket path must start with '/', was '" + path + "'");
        }
        this.endpointPath = path;
        return webSocket();
    }

    /**
     * An extra header of the WebSocket upgrade request, such as a token for a gateway. Its value
     * is never logged.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public MqttClientBuilder webSocketHeader(String name, String value) {
        webSocketHeaders.add(new TransportOptions.Header(name, value));
        return this;
    }

    /**
     * Connects through an HTTP proxy with CONNECT, for TCP, TLS and WebSocket alike.
     *
     * @param host the proxy's host
     * @param port the proxy's port
     * @return this builder
     */
    public MqttClientBuilder httpProxy(String host, int port) {
        this.proxy = new ProxyOptions(ProxyOptions.Kind.HTTP, host, port, null, null);
        return this;
    }

    /**
     * Connects through an HTTP proxy with CONNECT and Basic authentication.
     *
     * @param host the proxy's host
     * @param port the proxy's port
     * @param username the proxy user name
     * @param password its password; copied
     * @return this builder
     */
    public MqttClientBuilder httpProxy(String host, int port, String username, char[] password) {
        this.proxy = new ProxyOptions(ProxyOptions.Kind.HTTP, host, port, Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"));
        return this;
    }

    /**
     * Connects through a SOCKS5 proxy without authentication; the proxy resolves the broker's name.
     *
     * @param host the proxy's host
     * @param port the proxy's port
     * @return this builder
     */
    public MqttClientBuilder socksProxy(String host, int port) {
        this.proxy = new ProxyOptions(ProxyOptions.Kind.SOCKS5, host, port, null, null);
        return this;
    }

    /**
     * Connects through a SOCKS5 proxy with user name and password (RFC 1929).
     *
     * @param host the proxy's host
     * @param port the proxy's port
     * @param username the proxy user name
     * @param password its password; copied
     * @return this builder
     */
    public MqttClientBuilder socksProxy(String host, int port, String username, char[] password) {
        this.proxy = new ProxyOptions(ProxyOptions.Kind.SOCKS5, host, port, Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"));
        return this;
    }

    /**
     * MQTT 5 enhanced authentication, such as {@link Authenticator#scramSha256(String, char[])}:
     * run during CONNECT and by {@link MqttClient#reauthenticate()}.
     *
     * @param authenticator the authenticator
     * @return this builder
     */
    public MqttClientBuilder authenticator(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return this;
    }

    /**
     * Bounds the user properties of one packet from the broker; a broker that sends more is
     * disconnected (IMPLEMENTATION_SPECIFIC_ERROR, with a reason string naming the limit).
     * Default 1024 properties and 65536 bytes.
     *
     * @param count the most user properties per packet, at least 0
     * @param totalBytes the most UTF-8 bytes of their names and values per packet, at least 0
     * @return this builder
     */
    public MqttClientBuilder maximumIncomingUserProperties(int count, int totalBytes) {
        this.inboundLimits = new InboundLimits(range(count, 0, Integer.MAX_VALUE, "maximum user properties"),
                range(totalBytes, 0, Integer.MAX_VALUE, "maximum user property bytes"));
        return this;
    }

    private Endpoint endpoint() {
        if (scheme == Endpoint.Scheme.UNIX) {
            return new Endpoint(scheme, host, 0, endpointPath);
        }
        return new Endpoint(scheme, host, portChosen ? port : scheme.defaultPort(), scheme.webSocket() ? endpointPath : "");
    }

    private TransportOptions transportOptions() throws MqttException {
        SSLContext context = null;
        if (scheme.secure() || servers.stream().anyMatch(server -> server.scheme().secure())) {
            try {
                context = tlsContext.build();
            } catch (GeneralSecurityException | IOException e) {
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "TLS setup failed: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (authenticator != null && protocol != ProtocolVersion.V5) {
            throw new IllegalArgumentException("enhanced authentication (an authenticator) needs MQTT 5");
        }
        return new TransportOptions(context, tlsProtocols, !tlsContext.trustsAll(), webSocketHeaders, proxy,
                authenticator, inboundLimits);
    }

    /**
     * Connects and returns the client once the broker accepted the connection.
     *
     * @return the connected client
     * @throws MqttConnectException if the broker refused the connection
     * @throws MqttException if the broker cannot be reached or does not answer in time
     */
    public MqttClient connect() throws MqttException {
        String clientId = identifier.isEmpty() && protocol == ProtocolVersion.V3_1_1
                ? "tether-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) : identifier;
        Connect connect = new Connect(protocol, clientId, cleanStart, (int) keepAlive.toSeconds(), connectProperties(),
                willPacket(), username, password);
        ClientOptions options = new ClientOptions(protocol, keepAlive, operationTimeout, closeTimeout,
                maxQueuedIncoming, protocol == ProtocolVersion.V5 ? topicAliasMaximum : 0, manualAcknowledgement,
                incomingOverflow, queueQos0WhileDisconnected, new AtomicBoolean());
        Traffic traffic = new Traffic();
        if (sessionStore.isDurable() && identifier.isEmpty()) {
            throw new IllegalArgumentException("a durable session store needs a client identifier: the broker's assigned"
                    + " identifier changes with every connection, so no later process could find the session again");
        }
        Connector connector = new Connector(servers.isEmpty() ? List.of(endpoint()) : servers, transportOptions(),
                serverSelection, followServerReference, connect, maximumPacketSize, connectTimeout, traffic);
        ConnectionEvents events = new ConnectionEvents();
        connectionListeners.forEach(events::addListener); // they end with the Closed event, emitted on failure below
        StateStore store = sessionStore.store();
        ClientSession session = new ClientSession(options, store, new OutboundFlows(store, maxQueuedOutgoing, outgoingQueueFull,
                maxInFlight != 0 ? maxInFlight : protocol == ProtocolVersion.V5 ? 65_535 : 20),
                traffic, events, clientId);
        Connector.Accepted accepted;
        try {
            session.recover(store.open(clientId));
            accepted = connector.connectFirst();
        } catch (MqttException | RuntimeException e) {
            store.close();
            events.emit(new ConnectionEvent.Closed(e instanceof MqttException mqtt ? mqtt : null));
            throw e;
        }
        if (backoff != null) {
            session.reconnectWith(new Reconnector(connector, backoff, session));
        }
        session.attach(accepted, false);
        return new MqttClient(session, options);
    }

    private Properties connectProperties() {
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
        int announced = receiveMaximum != 0 ? receiveMaximum : Math.min(65_535, maxQueuedIncoming);
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

    private static Duration seconds(Duration value, long minimum, long maximum, String what) {
        long seconds = Objects.requireNonNull(value, what).toSeconds();
        if (value.isNegative() || seconds < minimum || seconds > maximum) {
            throw new IllegalArgumentException(what + " must be " + minimum + " to " + maximum + " seconds, was " + value);
        }
        return Duration.ofSeconds(seconds);
    }

    private static int range(int value, int minimum, int maximum, String what) {
        if (value < minimum || value > maximum) {
            throw new IllegalArgumentException(what + " must be " + minimum + " to " + maximum + ", was " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String what) {
        if (Objects.requireNonNull(value, what).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }

    /** {@return the broker address and options, never the password} */
    @Override
    public String toString() {
        return "MqttClientBuilder[" + endpoint() + (proxy == null ? "" : " via " + proxy) + ", identifier=" + identifier + ", protocol=" + protocol
                + ", username=" + username + ", password=" + (password == null ? "absent" : "****") + "]";
    }
}
