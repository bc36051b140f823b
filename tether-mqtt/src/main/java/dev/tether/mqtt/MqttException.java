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
    private final String serverReference;

    /**
     * Creates an exception with a reason code and a message for people.
     *
     * @param reasonCode what MQTT says went wrong
     * @param message what happened, in words
     */
    public MqttException(ReasonCode reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
        this.serverReference = null;
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
        this.serverReference = null;
    }

    /**
     * An exception that carries the other server an MQTT 5 broker referred the client to, in a
     * refused CONNACK or a DISCONNECT with reason code Use another server or Server moved.
     *
     * @param reasonCode      the reason code
     * @param message         what happened
     * @param serverReference the broker's Server Reference, or {@code null}
     */
    public MqttException(ReasonCode reasonCode, String message, String serverReference) {
        super(message);
        this.reasonCode = reasonCode;
        this.serverReference = serverReference;
    }

    /** {@return the MQTT reason code of the failure} */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /**
     * The other server the broker referred the client to (MQTT 5 Server Reference), which the
     * client follows when reconnecting if {@link MqttClientBuilder#followServerReference(boolean)} allows.
     *
     * @return the reference as the broker sent it, such as {@code "node-2:1883"}, or {@code null}
     */
    public String serverReference() {
        return serverReference;
    }
}
