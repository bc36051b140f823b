package dev.tether.mqtt;

/**
 * The quality of service of a message: how hard the client and broker try to deliver it.
 *
 * <pre>{@code
 * Qos qos = Qos.of(1);            // Qos.AT_LEAST_ONCE
 * int wire = qos.code();          // 1
 * }</pre>
 */
public enum Qos {
    /** QoS 0: sent once, never acknowledged; may be lost. */
    AT_MOST_ONCE,
    /** QoS 1: acknowledged by PUBACK; may arrive more than once. */
    AT_LEAST_ONCE,
    /** QoS 2: a four-packet handshake; arrives exactly once. */
    EXACTLY_ONCE;

    private static final Qos[] BY_CODE = values();

    /** {@return the QoS as it appears on the wire: 0, 1 or 2} */
    public int code() {
        return ordinal();
    }

    /**
     * The QoS with the given wire value.
     *
     * @param code 0, 1 or 2
     * @return the matching QoS
     * @throws IllegalArgumentException if {@code code} is not 0, 1 or 2
     */
    public static Qos of(int code) {
        if (code < 0 || code > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + code);
        }
        return BY_CODE[code];
    }
}
