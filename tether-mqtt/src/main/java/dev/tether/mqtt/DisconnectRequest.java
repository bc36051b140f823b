package dev.tether.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The MQTT 5 DISCONNECT that {@link MqttClient#close(DisconnectRequest)} sends: a reason code, a
 * reason string, user properties and a new Session Expiry Interval for the session the broker
 * keeps. Anything not set is left out of the packet, which then says what a plain
 * {@link MqttClient#close()} says: a normal disconnection, the session expiry of the CONNECT.
 *
 * <pre>{@code
 * client.close(DisconnectRequest.newBuilder()
 *         .reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)   // the broker publishes the will
 *         .reasonString("shutting down for maintenance")
 *         .sessionExpiry(Duration.ZERO)                          // and forgets the session now
 *         .userProperty("host", "node-3")
 *         .build());
 * }</pre>
 */
public final class DisconnectRequest {

    /** The reason codes a client's DISCONNECT may carry (MQTT 5, 3.14.2.1); the others are the server's. */
    private static final Set<ReasonCode> CLIENT_REASON_CODES = Set.of(ReasonCode.NORMAL_DISCONNECTION,
            ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, ReasonCode.UNSPECIFIED_ERROR, ReasonCode.MALFORMED_PACKET,
            ReasonCode.PROTOCOL_ERROR, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, ReasonCode.TOPIC_NAME_INVALID,
            ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, ReasonCode.TOPIC_ALIAS_INVALID, ReasonCode.PACKET_TOO_LARGE,
            ReasonCode.MESSAGE_RATE_TOO_HIGH, ReasonCode.QUOTA_EXCEEDED, ReasonCode.ADMINISTRATIVE_ACTION,
            ReasonCode.PAYLOAD_FORMAT_INVALID);
    private static final long MAXIMUM_SESSION_EXPIRY = 0xFFFF_FFFFL;

    private final ReasonCode reasonCode;
    private final String reasonString;
    private final Duration sessionExpiry;
    private final List<UserProperty> userProperties;

    private DisconnectRequest(Builder builder) {
        this.reasonCode = builder.reasonCode;
        this.reasonString = builder.reasonString;
        this.sessionExpiry = builder.sessionExpiry;
        this.userProperties = List.copyOf(builder.userProperties);
    }

    /** {@return a builder, starting from a normal disconnection that changes nothing} */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** {@return the reason code: {@link ReasonCode#NORMAL_DISCONNECTION} unless one was set} */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** {@return the reason string, or null for none} */
    public String reasonString() {
        return reasonString;
    }

    /** {@return the new session expiry, or null to keep the CONNECT's} */
    public Duration sessionExpiry() {
        return sessionExpiry;
    }

    /** {@return the user properties, in order} */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    @Override
    public String toString() {
        return "DisconnectRequest[" + reasonCode.describe() + (reasonString == null ? "" : ", \"" + reasonString + "\"")
                + (sessionExpiry == null ? "" : ", session expiry " + sessionExpiry)
                + (userProperties.isEmpty() ? "" : ", " + userProperties) + "]";
    }

    /**
     * Builds a {@link DisconnectRequest}; every setter checks its argument at once.
     *
     * <pre>{@code
     * DisconnectRequest request = DisconnectRequest.newBuilder().sessionExpiry(Duration.ofHours(1)).build();
     * }</pre>
     */
    public static final class Builder {
        private ReasonCode reasonCode = ReasonCode.NORMAL_DISCONNECTION;
        private String reasonString;
        private Duration sessionExpiry;
        private final List<UserProperty> userProperties = new ArrayList<>();

        private Builder() {
        }

        /**
         * The reason code; {@link ReasonCode#NORMAL_DISCONNECTION} by default.
         * {@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE} asks the broker to publish the will.
         *
         * @param reasonCode one of the codes a client may send: 0x00, 0x04, 0x80 to 0x83, 0x90,
         *     0x93 to 0x99
         * @return this builder
         * @throws IllegalArgumentException for a code only a server may send, such as
         *     {@link ReasonCode#SERVER_MOVED} [MQTT-3.14.2-1]
         */
        public Builder reasonCode(ReasonCode reasonCode) {
            Objects.requireNonNull(reasonCode, "reasonCode");
            if (!CLIENT_REASON_CODES.contains(reasonCode)) {
                throw new IllegalArgumentException(reasonCode.describe() + " is not a reason code a client's DISCONNECT"
                        + " may carry (MQTT-3.14.2-1); those are NORMAL_DISCONNECTION, DISCONNECT_WITH_WILL_MESSAGE,"
                        + " 0x80 to 0x83, 0x90 and 0x93 to 0x99");
            }
            this.reasonCode = reasonCode;
            return this;
        }

        /**
         * A reason string for people, such as the broker's log; left out if it would make the
         * packet larger than the broker accepts.
         *
         * @param reasonString the text
         * @return this builder
         */
        public Builder reasonString(String reasonString) {
            this.reasonString = Objects.requireNonNull(reasonString, "reasonString");
            return this;
        }

        /**
         * A new session expiry for the session the broker keeps after this DISCONNECT: zero ends
         * it now. Only a client that connected with a non-zero {@code sessionExpiry} may set a
         * non-zero one here [MQTT-3.14.2-2]; {@code close} checks that.
         *
         * @param expiry 0 to 4294967295 seconds (the maximum means never); a fraction of a second is dropped
         * @return this builder
         * @throws IllegalArgumentException if negative or too long
         */
        public Builder sessionExpiry(Duration expiry) {
            Objects.requireNonNull(expiry, "expiry");
            if (expiry.isNegative() || expiry.toSeconds() > MAXIMUM_SESSION_EXPIRY) {
                throw new IllegalArgumentException("session expiry must be 0 to 4294967295 seconds, was " + expiry);
            }
            this.sessionExpiry = Duration.ofSeconds(expiry.toSeconds());
            return this;
        }

        /**
         * Adds a user property.
         *
         * @param name the property name
         * @param value the property value
         * @return this builder
         */
        public Builder userProperty(String name, String value) {
            userProperties.add(UserProperty.of(name, value));
            return this;
        }

        /** {@return the request} */
        public DisconnectRequest build() {
            return new DisconnectRequest(this);
        }
    }
}
