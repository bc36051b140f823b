package dev.tether.mqtt;

import dev.tether.mqtt.internal.client.ClientSession;
import dev.tether.mqtt.internal.client.ConnectOptions;
import dev.tether.mqtt.internal.client.FlowOptions;
import dev.tether.mqtt.internal.client.NetworkOptions;
import dev.tether.mqtt.internal.client.ResilienceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
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

    private final ConnectOptions connect = new ConnectOptions();
    private final FlowOptions flow = new FlowOptions();
    private final NetworkOptions network = new NetworkOptions();
    private final ResilienceOptions resilience = new ResilienceOptions();

    MqttClientBuilder() {
    }

    /**
     * The broker's host name or address; default {@code localhost}.
     *
     * @param host the host
     * @return this builder
     */
    public MqttClientBuilder host(String host) {
        network.host(host);
        return this;
    }

    /**
     * The broker's TCP port; default 1883.
     *
     * @param port 1 to 65535
     * @return this builder
     */
    public MqttClientBuilder port(int port) {
        network.port(port);
        return this;
    }

    /**
     * The client identifier. Empty (the default) lets an MQTT 5 broker assign one
     * ({@link ConnectResult#assignedClientIdentifier()}); the client resumes its session under
     * the assigned identifier when it reconnects, but a new client cannot find that session again.
     * For MQTT 3.1.1 the client generates one for a clean session; with
     * {@code cleanStart(false)} an MQTT 3.1.1 client needs an identifier of its own, and
     * {@link #connect()} refuses to go without one (MQTT-3.1.3-7).
     *
     * @param identifier the identifier, at most 65535 bytes of UTF-8
     * @return this builder
     */
    public MqttClientBuilder identifier(String identifier) {
        connect.identifier(identifier);
        return this;
    }

    /**
     * The protocol version; default {@link ProtocolVersion#V5}.
     *
     * @param protocol the version
     * @return this builder
     */
    public MqttClientBuilder protocol(ProtocolVersion protocol) {
        connect.protocol(protocol);
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
        connect.credentials(username, password);
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
        connect.credentials(username, password);
        return this;
    }

    /**
     * The keep alive: the client sends a PINGREQ when it sent nothing, or received nothing, for
     * half this long, so the broker hears from it at least this often and has something to answer,
     * and a broker silent for 1.5 times this long is declared gone at that moment (and reconnected
     * to, unless reconnecting is off). Zero turns keep-alive off. Default 60 s.
     *
     * @param keepAlive 0 to 65535 seconds
     * @return this builder
     */
    public MqttClientBuilder keepAlive(Duration keepAlive) {
        connect.keepAlive(keepAlive);
        return this;
    }

    /**
     * The will: the message the broker publishes when the connection ends without a normal DISCONNECT.
     *
     * @param will the message; its MQTT 5 properties travel as will properties
     * @return this builder
     */
    public MqttClientBuilder will(MqttMessage will) {
        connect.will(will);
        return this;
    }

    /**
     * MQTT 5: how long the broker waits before publishing the will.
     *
     * @param delay 0 to 4294967295 seconds
     * @return this builder
     */
    public MqttClientBuilder willDelay(Duration delay) {
        connect.willDelay(delay);
        return this;
    }

    /**
     * Whether the broker discards any existing session (clean session in 3.1.1); default true.
     *
     * @param cleanStart true to start a new session
     * @return this builder
     */
    public MqttClientBuilder cleanStart(boolean cleanStart) {
        connect.cleanStart(cleanStart);
        return this;
    }

    /**
     * MQTT 5: how long the broker keeps the session after the connection ends; default 0.
     *
     * @param expiry 0 to 4294967295 seconds (the maximum means never)
     * @return this builder
     */
    public MqttClientBuilder sessionExpiry(Duration expiry) {
        connect.sessionExpiry(expiry);
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
        connect.receiveMaximum(receiveMaximum);
        return this;
    }

    /**
     * MQTT 5: whether a broker that leaves more QoS 1/2 messages unacknowledged than the Receive
     * Maximum is disconnected, with reason code 0x93 (Receive Maximum exceeded), which the
     * specification allows a client to do (3.3.4). Off by default: memory stays bounded either way
     * (a full stream stops the client reading), and a widely used broker overruns the limit
     * (Mosquitto 2.0.11 sends two messages for each acknowledgement once it is reached), which
     * would be disconnected again after every reconnect. Turn it on to hold a broker to the rule.
     *
     * <pre>{@code
     * MqttClient.newBuilder().receiveMaximum(100).enforceReceiveMaximum(true).connect();
     * }</pre>
     *
     * @param enforce true to disconnect a broker that sends more than the Receive Maximum
     * @return this builder
     */
    public MqttClientBuilder enforceReceiveMaximum(boolean enforce) {
        connect.enforceReceiveMaximum(enforce);
        return this;
    }

    /**
     * MQTT 5: whether the client gives each subscription the application chose no identifier
     * for ({@link SubscribeRequest.Builder#subscriptionIdentifier(int)}) one of its own, on by
     * default. The broker tags every message with the identifiers of the subscriptions it matched,
     * which routes a message to exactly the {@link Subscription}s it was sent for even when their
     * filters overlap. Off, such subscriptions carry no identifier and messages are routed by
     * matching their topic against the filters, so overlapping subscriptions each get every
     * message their filters match; turn it off for a broker that mishandles identifiers, or when
     * {@link MqttMessage#subscriptionIdentifiers()} must hold only the application's own.
     *
     * <pre>{@code
     * MqttClient.newBuilder().host("broker").automaticSubscriptionIdentifiers(false).connect();
     * }</pre>
     *
     * @param automatic false to send only the identifiers the application chose
     * @return this builder
     */
    public MqttClientBuilder automaticSubscriptionIdentifiers(boolean automatic) {
        connect.automaticSubscriptionIdentifiers(automatic);
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
        connect.maximumPacketSize(bytes);
        return this;
    }

    /**
     * MQTT 5: the highest topic alias the broker may use towards the client; default 16, 0 for none.
     *
     * @param maximum 0 to 65535
     * @return this builder
     */
    public MqttClientBuilder topicAliasMaximum(int maximum) {
        connect.topicAliasMaximum(maximum);
        return this;
    }

    /**
     * MQTT 5: whether the broker may explain itself with a reason string and user properties on
     * every packet (Request Problem Information), on by default as the specification has it. Off,
     * it may do so only on PUBLISH, CONNACK and DISCONNECT, which saves bytes on constrained
     * links; a broker that sends them on another packet anyway is disconnected with Protocol
     * Error (0x82), as MQTT 5 says (3.1.2.11.7).
     *
     * <pre>{@code
     * MqttClient.newBuilder().host("broker").requestProblemInformation(false).connect();
     * }</pre>
     *
     * @param request false to ask the broker to leave problem information out
     * @return this builder
     */
    public MqttClientBuilder requestProblemInformation(boolean request) {
        connect.requestProblemInformation(request);
        return this;
    }

    /**
     * MQTT 5: asks the broker for response information in CONNACK (Request Response Information),
     * which {@link ConnectResult#responseInformation()} then gives: a basis for response topics
     * the broker allows. The broker may send none even when asked. Default false.
     *
     * @param request true to ask
     * @return this builder
     */
    public MqttClientBuilder requestResponseInformation(boolean request) {
        connect.requestResponseInformation(request);
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
        connect.userProperty(name, value);
        return this;
    }

    /**
     * How long {@link #connect()} waits for the TCP connection and the CONNACK; default 10 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public MqttClientBuilder connectTimeout(Duration timeout) {
        flow.connectTimeout(timeout);
        return this;
    }

    /**
     * How long a blocking call waits for a publish slot or the broker's reply; default 30 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public MqttClientBuilder operationTimeout(Duration timeout) {
        flow.operationTimeout(timeout);
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
        flow.closeTimeout(timeout);
        return this;
    }

    /**
     * How many messages each stream being consumed (a subscription, or {@link MqttClient#messages()})
     * buffers, and how many are held for the streams not consumed yet (see {@link Subscription}).
     * When one is full the client stops reading from the broker until a consumer takes a message:
     * TCP backpressure, nothing dropped. Default 1000.
     *
     * @param messages at least 1
     * @return this builder
     */
    public MqttClientBuilder maxQueuedIncoming(int messages) {
        flow.maxQueuedIncoming(messages);
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
        flow.manualAcknowledgement(manual);
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
        network.servers(uris);
        return this;
    }

    /**
     * The order in which several {@link #servers(String...)} are tried; {@link ServerSelection#IN_ORDER} by default.
     *
     * @param selection in order or at random
     * @return this builder
     */
    public MqttClientBuilder serverSelection(ServerSelection selection) {
        resilience.serverSelection(selection);
        return this;
    }

    /**
     * Whether the client follows an MQTT 5 Server Reference: a broker that refuses the connection
     * or disconnects with "Use another server" (0x9C) or "Server moved" (0x9D) names the server to
     * use instead. Off by default, since it lets a broker send the client (and its credentials)
     * elsewhere. The {@link ConnectionEvent.Lost} event and the {@link MqttException} carry the
     * reason code and the reference either way.
     *
     * <p>When on, the referenced server may be one outside {@link #servers(String...)}: it is
     * tried next (when connecting, right after the server that referred; when reconnecting, on the
     * next attempt), once; should it fail, the configured servers are tried again as before. A
     * reference such as {@code node-2:1883}, without a scheme, is reached the way the referring
     * server was (TLS stays TLS, WebSocket keeps its path); one that would drop TLS is not
     * followed. Only the first of several space-separated references is used.
     *
     * <pre>{@code
     * MqttClient.newBuilder().servers("mqtts://node-1").followServerReference(true).connect();
     * }</pre>
     *
     * @param follow true to connect to the referenced server on the next attempt
     * @return this builder
     */
    public MqttClientBuilder followServerReference(boolean follow) {
        resilience.followServerReference(follow);
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
        resilience.reconnect(reconnect);
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
        resilience.reconnect(backoff);
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
        flow.maxQueuedOutgoing(messages);
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
        flow.maxInFlight(messages);
        return this;
    }

    /**
     * What {@code publish} does when the outgoing queue is full; {@link QueueFullPolicy#BLOCK} by default.
     *
     * @param policy block (at most the operation timeout) or fail at once
     * @return this builder
     */
    public MqttClientBuilder whenOutgoingQueueFull(QueueFullPolicy policy) {
        flow.whenOutgoingQueueFull(policy);
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
        flow.incomingOverflow(policy);
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
        flow.queueQos0WhileDisconnected(queue);
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
        resilience.sessionStore(store);
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
        resilience.connectionListener(listener);
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
        network.serverUri(uri);
        return this;
    }

    /**
     * Connects through a Unix domain socket instead of TCP, for a broker on the same machine.
     *
     * @param socket the socket file, such as {@code /run/mosquitto/mqtt.sock}
     * @return this builder
     */
    public MqttClientBuilder unixSocket(Path socket) {
        network.unixSocket(socket);
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
        network.tls();
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
        network.tls(context);
        return this;
    }

    /**
     * Turns on TLS and trusts the CA certificates of a PEM file instead of the JDK's trust store:
     * for a broker with a private CA.
     *
     * @param pem a file of one or more {@code -----BEGIN CERTIFICATE-----} blocks
     * @return this builder
     */
    public MqttClientBuilder trustedCertificates(Path pem) {
        network.trustedCertificates(pem);
        return this;
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
        network.clientCertificate(certificatePem, keyPem);
        return this;
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
        network.clientKeyStore(keyStore, password);
        return this;
    }

    /**
     * Turns on TLS and turns OFF every check of the server: any certificate is accepted and the
     * host name is not verified, so anyone on the network path can pose as the broker. For tests
     * against self-signed brokers only; a WARNING is logged when a client connects this way.
     *
     * @return this builder
     */
    public MqttClientBuilder insecureTrustAll() {
        network.insecureTrustAll();
        return this;
    }

    /**
     * The TLS versions offered; default {@code TLSv1.3} and {@code TLSv1.2}.
     *
     * @param protocols JSSE protocol names, at least one
     * @return this builder
     */
    public MqttClientBuilder tlsProtocols(String... protocols) {
        network.tlsProtocols(protocols);
        return this;
    }

    /**
     * Carries MQTT in WebSocket frames (subprotocol {@code mqtt}); with {@link #tls()} over TLS.
     * The port becomes 80 (443 with TLS) unless one was set.
     *
     * @return this builder
     */
    public MqttClientBuilder webSocket() {
        network.webSocket();
        return this;
    }

    /**
     * Turns on WebSocket with the given request path; default {@code /mqtt}.
     *
     * @param path the path, starting with {@code /}, with any query
     * @return this builder
     */
    public MqttClientBuilder webSocketPath(String path) {
        network.webSocketPath(path);
        return this;
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
        network.webSocketHeader(name, value);
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
        network.httpProxy(host, port, null, null);
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
        network.httpProxy(host, port, Objects.requireNonNull(username, "username"),
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
        network.socksProxy(host, port, null, null);
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
        network.socksProxy(host, port, Objects.requireNonNull(username, "username"),
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
        network.authenticator(authenticator);
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
        network.maximumIncomingUserProperties(count, totalBytes);
        return this;
    }

    /**
     * Connects and returns the client once the broker accepted the connection.
     *
     * @return the connected client
     * @throws MqttConnectException if the broker refused the connection
     * @throws MqttException if the broker cannot be reached or does not answer in time
     * @throws IllegalArgumentException if the options contradict each other, such as MQTT 3.1.1
     *     with {@code cleanStart(false)} and no identifier (MQTT-3.1.3-7)
     */
    public MqttClient connect() throws MqttException {
        return new MqttClient(ClientSession.connect(connect, flow, network, resilience));
    }

    /** {@return the broker address and options, never the password} */
    @Override
    public String toString() {
        return "MqttClientBuilder[" + network + ", " + connect + "]";
    }
}
