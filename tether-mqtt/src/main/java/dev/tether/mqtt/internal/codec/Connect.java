package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ProtocolVersion;
import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT. {@code will}, {@code username} and {@code password} are null when absent. The
 * password never appears in {@link #toString()}.
 */
public record Connect(ProtocolVersion version, String clientId, boolean cleanStart, int keepAliveSeconds,
                      Properties properties, Will will, String username, byte[] password) implements Packet {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "client identifier");
        Objects.requireNonNull(properties, "properties");
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keep alive must be 0 to 65535 seconds, was " + keepAliveSeconds);
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Connect that && version == that.version && clientId.equals(that.clientId)
                && cleanStart == that.cleanStart && keepAliveSeconds == that.keepAliveSeconds
                && properties.equals(that.properties) && Objects.equals(will, that.will)
                && Objects.equals(username, that.username) && Arrays.equals(password, that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, clientId, cleanStart, keepAliveSeconds, properties, will, username,
                Arrays.hashCode(password));
    }

    @Override
    public String toString() {
        return "Connect[version=" + version + ", clientId=" + clientId + ", cleanStart=" + cleanStart
                + ", keepAlive=" + keepAliveSeconds + ", properties=" + properties + ", will=" + will
                + ", username=" + username + ", password=" + (password == null ? "absent" : "****") + "]";
    }
}
