package dev.tether.mqtt.internal.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * One server a client may connect to, parsed from a URI such as {@code mqtt://broker:1883},
 * {@code mqtts://broker}, {@code ws://broker/mqtt}, {@code wss://broker:8443/mqtt} or
 * {@code unix:///run/mosquitto.sock}.
 *
 * @param scheme how to reach it
 * @param host   the host name or address; {@code localhost} for a Unix domain socket
 * @param port   the TCP port; 0 for a Unix domain socket
 * @param path   the WebSocket request path (with any query), or the Unix domain socket's file;
 *               empty for plain TCP and TLS
 */
public record Endpoint(Scheme scheme, String host, int port, String path) {

    /** The WebSocket path used when the URI names none: what Mosquitto, HiveMQ and EMQX serve. */
    public static final String DEFAULT_WEBSOCKET_PATH = "/mqtt";

    /** How an endpoint is reached. */
    public enum Scheme {
        /** MQTT over plain TCP: {@code mqtt://} or {@code tcp://}, port 1883 by default. */
        TCP(1883, false, false),
        /** MQTT over TLS: {@code mqtts://}, {@code ssl://} or {@code tls://}, port 8883 by default. */
        TLS(8883, true, false),
        /**
         * MQTT over WebSocket: {@code ws://}, port 80 by default as for any {@code ws} URI
         * (RFC 6455, 3). Brokers often listen on 8080 or 9001: name the port.
         */
        WS(80, false, true),
        /** MQTT over WebSocket over TLS: {@code wss://}, port 443 by default. */
        WSS(443, true, true),
        /** MQTT over a Unix domain socket: {@code unix:///path/to/socket}. */
        UNIX(0, false, false);

        private final int defaultPort;
        private final boolean secure;
        private final boolean webSocket;

        Scheme(int defaultPort, boolean secure, boolean webSocket) {
            this.defaultPort = defaultPort;
            this.secure = secure;
            this.webSocket = webSocket;
        }

        /** @return the port used when the URI names none */
        public int defaultPort() {
            return defaultPort;
        }

        /** @return whether the bytes go through TLS */
        public boolean secure() {
            return secure;
        }

        /** @return whether MQTT travels in WebSocket frames */
        public boolean webSocket() {
            return webSocket;
        }

        /** @return this scheme with TLS added: TCP becomes TLS, WS becomes WSS */
        public Scheme withTls() {
            return switch (this) {
                case TCP, TLS -> TLS;
                case WS, WSS -> WSS;
                case UNIX -> throw new IllegalArgumentException("TLS over a Unix domain socket is not supported");
            };
        }

        /** @return this scheme carried in WebSocket frames: TCP becomes WS, TLS becomes WSS */
        public Scheme withWebSocket() {
            return switch (this) {
                case TCP, WS -> WS;
                case TLS, WSS -> WSS;
                case UNIX -> throw new IllegalArgumentException("WebSocket over a Unix domain socket is not supported");
            };
        }
    }

    public Endpoint {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        if (scheme == Scheme.UNIX) {
            if (path.isBlank()) {
                throw new IllegalArgumentException("a Unix domain socket endpoint needs the socket's path");
            }
            host = "localhost";
            port = 0;
        } else {
            if (Objects.requireNonNull(host, "host").isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
            }
            if (scheme.webSocket() && path.isEmpty()) {
                path = DEFAULT_WEBSOCKET_PATH;
            }
            if (scheme.webSocket() && !path.startsWith("/")) {
                throw new IllegalArgumentException("WebSocket path must start with '/', was '" + path + "'");
            }
        }
    }

    /** A TCP or TLS endpoint, or a WebSocket one with the default path. */
    public Endpoint(Scheme scheme, String host, int port) {
        this(scheme, host, port, "");
    }

    /** A Unix domain socket endpoint. */
    public static Endpoint unix(String socketPath) {
        return new Endpoint(Scheme.UNIX, "localhost", 0, socketPath);
    }

    /** {@return whether {@code text} looks like a server URI rather than {@code host} or {@code host:port}} */
    public static boolean isUri(String text) {
        return text.contains("://") || text.toLowerCase(Locale.ROOT).startsWith("unix:");
    }

    /**
     * Parses a server URI: {@code mqtt://} or {@code tcp://} (port 1883), {@code mqtts://},
     * {@code ssl://} or {@code tls://} (8883), {@code ws://} (80), {@code wss://} (443),
     * {@code unix:///path} or {@code unix:/path}.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static Endpoint parse(String uri) {
        URI parsed;
        try {
            parsed = new URI(Objects.requireNonNull(uri, "server URI"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("server URI '" + uri + "' is not a URI: " + e.getReason(), e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        Scheme kind = switch (scheme) {
            case "mqtt", "tcp" -> Scheme.TCP;
            case "mqtts", "ssl", "tls" -> Scheme.TLS;
            case "ws" -> Scheme.WS;
            case "wss" -> Scheme.WSS;
            case "unix" -> Scheme.UNIX;
            default -> throw new IllegalArgumentException("server URI '" + uri
                    + "' must start with mqtt://, tcp://, mqtts://, ssl://, ws://, wss:// or unix://");
        };
        if (kind == Scheme.UNIX) {
            String path = parsed.getPath();
            if (parsed.getAuthority() != null && !parsed.getAuthority().isEmpty()
                    && !parsed.getAuthority().equals("localhost")) {
                throw new IllegalArgumentException("server URI '" + uri + "' names a host; a Unix domain socket URI is "
                        + "unix:///path/to/socket");
            }
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("server URI '" + uri + "' names no socket path");
            }
            return unix(path);
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("server URI '" + uri + "' names no host");
        }
        if (parsed.getUserInfo() != null) {
            // Credentials in a URI end up in logs and error messages: they go through credentials(...).
            throw new IllegalArgumentException("server URI must not carry a user name or password; use credentials(...)");
        }
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = "";
        if (kind.webSocket()) {
            path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
            if (parsed.getRawQuery() != null) {
                path = (path.isEmpty() ? "/" : path) + "?" + parsed.getRawQuery();
            }
        } else if (parsed.getRawPath() != null && !parsed.getRawPath().isEmpty() && !parsed.getRawPath().equals("/")) {
            throw new IllegalArgumentException("server URI '" + uri + "' has a path; only ws:// and wss:// URIs take one");
        }
        return new Endpoint(kind, host, parsed.getPort() == -1 ? kind.defaultPort() : parsed.getPort(), path);
    }

    /** {@return this endpoint reached another way, keeping host, port and path} */
    public Endpoint withScheme(Scheme other) {
        return new Endpoint(other, host, port, scheme.webSocket() || other.webSocket() ? path : "");
    }

    /** @return {@code host:port}, or the socket's path, the name used in log lines and error messages */
    public String name() {
        if (scheme == Scheme.UNIX) {
            return path;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return switch (scheme) {
            case TCP -> "mqtt://" + name();
            case TLS -> "mqtts://" + name();
            case WS -> "ws://" + name() + path;
            case WSS -> "wss://" + name() + path;
            case UNIX -> "unix://" + path;
        };
    }
}
