package dev.tether.mqtt.internal.transport;

/**
 * Bounds on what one packet from the broker may carry beyond its size, so that a hostile or
 * broken broker cannot make the client keep thousands of user properties per message. A packet
 * that breaks them ends the connection with a DISCONNECT naming the limit.
 *
 * @param maximumUserProperties     the most user properties in one packet
 * @param maximumUserPropertyBytes  the most UTF-8 bytes of user property names and values in one packet
 */
public record InboundLimits(int maximumUserProperties, int maximumUserPropertyBytes) {

    /** 1024 user properties, 64 KiB of them per packet. */
    public static final InboundLimits DEFAULTS = new InboundLimits(1024, 64 * 1024);

    public InboundLimits {
        if (maximumUserProperties < 0) {
            throw new IllegalArgumentException("maximum user properties must not be negative, was " + maximumUserProperties);
        }
        if (maximumUserPropertyBytes < 0) {
            throw new IllegalArgumentException("maximum user property bytes must not be negative, was "
                    + maximumUserPropertyBytes);
        }
    }
}
