package dev.tether.mqtt.internal.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * A proxy every connection goes through: HTTP CONNECT or SOCKS5, with optional user name and
 * password. The password never appears in {@link #toString()}.
 *
 * @param kind     which protocol the proxy speaks
 * @param host     the proxy's host
 * @param port     the proxy's port
 * @param username the user name, or null for none
 * @param password the password, or null for none; kept as given, not copied on access
 */
public record ProxyOptions(Kind kind, String host, int port, String username, char[] password) {

    /** The protocol a proxy speaks. */
    public enum Kind {
        /** HTTP/1.1 CONNECT (RFC 9110, 9.3.6), Basic authentication. */
        HTTP,
        /** SOCKS version 5 (RFC 1928), no authentication or user name and password (RFC 1929). */
        SOCKS5
    }

    public ProxyOptions {
        Objects.requireNonNull(kind, "proxy kind");
        if (Objects.requireNonNull(host, "proxy host").isBlank()) {
            throw new IllegalArgumentException("proxy host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("proxy port must be 1 to 65535, was " + port);
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("proxy user name and password go together: give both or neither");
        }
        if (kind == Kind.SOCKS5 && username != null && (username.length() > 255 || password.length > 255)) {
            throw new IllegalArgumentException("SOCKS5 user name and password must be at most 255 bytes each");
        }
        password = password == null ? null : password.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxyOptions that && kind == that.kind && host.equals(that.host) && port == that.port
                && Objects.equals(username, that.username) && Arrays.equals(password, that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, host, port, username, Arrays.hashCode(password));
    }

    @Override
    public String toString() {
        return "ProxyOptions[" + kind + " " + host + ":" + port + (username == null ? "" : ", username=" + username
                + ", password=****") + "]";
    }
}
