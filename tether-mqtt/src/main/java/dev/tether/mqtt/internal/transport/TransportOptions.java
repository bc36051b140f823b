package dev.tether.mqtt.internal.transport;

import dev.tether.mqtt.Authenticator;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How to reach and secure a broker, settled once by the builder and used for every connection
 * attempt (the first one and each reconnect). Immutable; holds no password of its own: the TLS
 * key material is already inside the {@link SSLContext}.
 *
 * @param sslContext        the TLS context for {@code mqtts} and {@code wss}: the JDK's default, a
 *                          custom one, or one built from PEM files or a key store
 * @param tlsProtocols      the TLS versions offered, by default TLSv1.3 and TLSv1.2
 * @param verifyHostname    whether the server's certificate must name the host connected to
 *                          (endpoint identification "HTTPS"); off only with insecureTrustAll
 * @param webSocketHeaders  extra HTTP headers of the WebSocket upgrade request, as name, value pairs
 * @param proxy             the proxy to tunnel through, or null for a direct connection
 * @param authenticator     MQTT 5 enhanced authentication, or null for none
 * @param limits            what the client accepts from a broker before it disconnects it
 */
public record TransportOptions(SSLContext sslContext, List<String> tlsProtocols, boolean verifyHostname,
                               List<Header> webSocketHeaders, ProxyOptions proxy, Authenticator authenticator,
                               InboundLimits limits) {

    /** TLS versions offered unless the builder says otherwise: only those without known weaknesses. */
    public static final List<String> DEFAULT_TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Plain defaults: the JDK's trust store, hostname verification, no proxy, no authenticator. */
    public static final TransportOptions DEFAULTS = new TransportOptions(null, DEFAULT_TLS_PROTOCOLS, true, List.of(),
            null, null, InboundLimits.DEFAULTS);

    /** One HTTP header line of the WebSocket upgrade. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException("header name must be a visible ASCII token without ':', was '"
                        + name + "'");
            }
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("header value must not contain a line break");
            }
        }

        @Override
        public String toString() {
            // Headers often carry tokens (Authorization, Cookie): only the name is shown.
            return name + ": ****";
        }
    }

    public TransportOptions {
        tlsProtocols = List.copyOf(tlsProtocols);
        if (tlsProtocols.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS protocol must be enabled");
        }
        webSocketHeaders = List.copyOf(webSocketHeaders);
        Objects.requireNonNull(limits, "limits");
    }

    /** {@return the SSL context to use: the given one, or the JDK's default} */
    public SSLContext sslContextOrDefault() throws java.security.NoSuchAlgorithmException {
        return sslContext != null ? sslContext : SSLContext.getDefault();
    }
}
