package dev.tether.mqtt;

import java.io.IOException;

/**
 * An MQTT operation failed: the broker refused it, the connection was lost, or a packet broke the
 * protocol. {@link #reasonCode()} says which, in MQTT 5 terms, whatever the protocol version.
 *
 * <pre>{@code
 * try {
 *     client.publish("a/b", "x", Qos.AT_LEAST_ONCE);
 * } catch (MqttException e) {
 *     log.warn("not published: {} {}", e.reasonCode(), e.getMessage());
 * }
 * }</pre>
 */
public class MqttException extends IOException {

    private static final long serialVersionUID = 1L;

    private final ReasonCode reasonCode;

    /**
     * Creates an exception with a reason code and a message for people.
     *
     * @param reasonCode what MQTT says went wrong
     * @param message what happened, in words
     */
    public MqttException(ReasonCode reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    /**
     * Creates an exception with a reason code, a message and the underlying cause.
     *
     * @param reasonCode what MQTT says went wrong
     * @param message what happened, in words
     * @param cause the underlying failure
     */
    public MqttException(ReasonCode reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** {@return the MQTT reason code of the failure} */
    public ReasonCode reasonCode() {
        return reasonCode;
    }
}
