package dev.tether.mqtt;

/**
 * The MQTT protocol version a client speaks. Both versions share one internal model; the version
 * only decides what goes on the wire.
 *
 * <pre>{@code
 * ProtocolVersion version = ProtocolVersion.V5;
 * int level = version.level();   // 5, the CONNECT packet's protocol level
 * }</pre>
 */
public enum ProtocolVersion {
    /** MQTT 3.1.1 (OASIS Standard, 2014), protocol level 4. */
    V3_1_1(4),
    /** MQTT 5.0 (OASIS Standard, 2019), protocol level 5; the default. */
    V5(5);

    private final int level;

    ProtocolVersion(int level) {
        this.level = level;
    }

    /** {@return the protocol level byte of the CONNECT packet: 4 for 3.1.1, 5 for 5.0} */
    public int level() {
        return level;
    }

    /**
     * The version with the given CONNECT protocol level.
     *
     * @param level 4 or 5
     * @return the matching version
     * @throws IllegalArgumentException if the level is neither 4 nor 5
     */
    public static ProtocolVersion ofLevel(int level) {
        for (ProtocolVersion version : values()) {
            if (version.level == level) {
                return version;
            }
        }
        throw new IllegalArgumentException("protocol level must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + level);
    }
}
