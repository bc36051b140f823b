package dev.tether.mqtt.internal.client;

import static dev.tether.mqtt.internal.client.Arguments.range;

import dev.tether.mqtt.Authenticator;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.transport.Endpoint;
import dev.tether.mqtt.internal.transport.InboundLimits;
import dev.tether.mqtt.internal.transport.ProxyOptions;
import dev.tether.mqtt.internal.transport.TlsContextBuilder;
import dev.tether.mqtt.internal.transport.TransportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The builder's options for where the broker is and how to reach it: host and port or a list of
 * servers, the transport (TCP, TLS, WebSocket, Unix socket), TLS trust and client certificates,
 * a proxy, enhanced authentication and the limits on what the broker may send. Held for
 * {@code MqttClientBuilder}, which documents each; every setter checks its argument at once.
 *
 * <pre>{@code
 * NetworkOptions network = new NetworkOptions().serverUri("mqtts://broker.example");
 * }</pre>
 */
public final class NetworkOptions {

    private String host = "localhost";
    private int port = 1883;
    private boolean portChosen;
    private Endpoint.Scheme scheme = Endpoint.Scheme.TCP;
    private String endpointPath = "";
    private final List<Endpoint> servers = new ArrayList<>();
    private final TlsContextBuilder tlsContext = new TlsContextBuilder();
    private List<String> tlsProtocols = TransportOptions.DEFAULT_TLS_PROTOCOLS;
    private final List<TransportOptions.Header> webSocketHeaders = new ArrayList<>();
    private ProxyOptions proxy;
    private Authenticator authenticator;
    private InboundLimits inboundLimits = InboundLimits.DEFAULTS;

    /** Options as {@code MqttClientBuilder} starts with them. */
    public NetworkOptions() {
    }

    public NetworkOptions host(String host) {
        if (Objects.requireNonNull(host, "host").isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        this.host = host;
        return this;
    }

    public NetworkOptions port(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
        this.port = port;
        this.portChosen = true;
        return this;
    }

    public NetworkOptions servers(String... uris) {
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

    public NetworkOptions serverUri(String uri) {
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

    public NetworkOptions unixSocket(Path socket) {
        this.scheme = Endpoint.Scheme.UNIX;
        this.endpointPath = Objects.requireNonNull(socket, "socket").toString();
        return this;
    }

    public NetworkOptions tls() {
        this.scheme = scheme.withTls();
        return this;
    }

    public NetworkOptions tls(SSLContext context) {
        tlsContext.sslContext(Objects.requireNonNull(context, "SSL context"));
        return tls();
    }

    public NetworkOptions trustedCertificates(Path pem) {
        tlsContext.trustedCertificates(Objects.requireNonNull(pem, "trusted certificates"));
        return tls();
    }

    public NetworkOptions clientCertificate(Path certificatePem, Path keyPem) {
        tlsContext.clientCertificate(Objects.requireNonNull(certificatePem, "certificate"), Objects.requireNonNull(keyPem, "key"));
        return tls();
    }

    public NetworkOptions clientKeyStore(Path keyStore, char[] password) {
        tlsContext.clientKeyStore(Objects.requireNonNull(keyStore, "key store"), password);
        return tls();
    }

    public NetworkOptions insecureTrustAll() {
        tlsContext.insecureTrustAll();
        return tls();
    }

    public NetworkOptions tlsProtocols(String... protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("at least one TLS protocol must be given");
        }
        this.tlsProtocols = List.of(protocols);
        return tls();
    }

    public NetworkOptions webSocket() {
        this.scheme = scheme.withWebSocket();
        return this;
    }

    public NetworkOptions webSocketPath(String path) {
        if (!Objects.requireNonNull(path, "path").startsWith("/")) {
            throw new IllegalArgumentException("WebSocket path must start with '/', was '" + path + "'");
        }
        this.endpointPath = path;
        return webSocket();
    }

    public NetworkOptions webSocketHeader(String name, String value) {
        webSocketHeaders.add(new TransportOptions.Header(name, value));
        return this;
    }

    /** An HTTP proxy; user name and password both null (no authentication), or both given. */
    public NetworkOptions httpProxy(String host, int port, String username, char[] password) {
        this.proxy = new ProxyOptions(ProxyOptions.Kind.HTTP, host, port, username, password);
        return this;
    }

    /** A SOCKS5 proxy; user name and password both null (no authentication), or both given. */
    public NetworkOptions socksProxy(String host, int port, String username, char[] password) {
        this.proxy = new ProxyOptions(ProxyOptions.Kind.SOCKS5, host, port, username, password);
        return this;
    }

    public NetworkOptions authenticator(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return this;
    }

    public NetworkOptions maximumIncomingUserProperties(int count, int totalBytes) {
        this.inboundLimits = new InboundLimits(range(count, 0, Integer.MAX_VALUE, "maximum user properties"),
                range(totalBytes, 0, Integer.MAX_VALUE, "maximum user property bytes"));
        return this;
    }

    /** {@return the servers to try: those of {@link #servers}, else the one of host, port and transport} */
    List<Endpoint> servers() {
        return servers.isEmpty() ? List.of(endpoint()) : servers;
    }

    private Endpoint endpoint() {
        if (scheme == Endpoint.Scheme.UNIX) {
            return new Endpoint(scheme, host, 0, endpointPath);
        }
        return new Endpoint(scheme, host, portChosen ? port : scheme.defaultPort(), scheme.webSocket() ? endpointPath : "");
    }

    /**
     * {@return how to open a connection: TLS context, WebSocket headers, proxy, authenticator}
     *
     * @throws MqttException if the TLS context cannot be made from the files given
     */
    TransportOptions transportOptions(ProtocolVersion protocol) throws MqttException {
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

    /** {@return the broker's address and any proxy, never a password} */
    @Override
    public String toString() {
        return endpoint() + (proxy == null ? "" : " via " + proxy);
    }
}
