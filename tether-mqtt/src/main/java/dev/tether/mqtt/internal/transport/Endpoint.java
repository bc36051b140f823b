package dev.tether.mqtt.internal.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * One server a client may connect to, parsed from a URI such as {@code mqtt://broker:1883}.
 *
 * @param scheme how to reach it
 * @param host   the host name or address
 * @param port   the TCP port
 */
public record Endpoint(Scheme scheme, String host, int port) {

    /** How an endpoint is reached. */
    public enum Scheme {
        /** MQTT over plain TCP: {@code mqtt://} or {@code tcp://}, port 1883 by default. */
        TCP(1883);

        private final int defaultPort;

        Scheme(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** @return the port used when the URI names none */
        public int defaultPort() {
            return defaultPort;
        }
    }

    public Endpoint {
        Objects.requireNonNull(scheme, "scheme");
        if (Objects.requireNonNull(host, "host").isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
    }

    /**
     * Parses a server URI.
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
            default -> throw new IllegalArgumentException("server URI '" + uri
                    + "' must start with mqtt:// or tcp://");
        };
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("server URI '" + uri + "' names no host");
        }
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(kind, host, parsed.getPort() == -1 ? kind.defaultPort() : parsed.getPort());
    }

    /** @return {@code host:port}, the name used in log lines and error messages */
    public String name() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "mqtt://" + name();
    }
}
