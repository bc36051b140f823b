package dev.tether.mqtt;

import java.util.List;

/**
 * The broker ended the connection with a DISCONNECT: {@link #reasonCode()} says why, and an MQTT 5
 * broker may add a reason string, user properties and the server to use instead
 * ({@link #serverReference()}). Reaches the application as the cause of
 * {@link ConnectionEvent.Lost}, and of the calls the lost connection failed.
 *
 * <pre>{@code
 * client.addConnectionListener(event -> {
 *     if (event instanceof ConnectionEvent.Lost lost && lost.cause() instanceof MqttDisconnectException d) {
 *         log.warn("the broker disconnected us: {} {} {}", d.reasonCode(), d.reasonString(), d.userProperties());
 *     }
 * });
 * }</pre>
 */
public final class MqttDisconnectException extends MqttException {

    private static final long serialVersionUID = 1L;

    private final String reasonString;
    /** Not serialized (a user property is not serializable): empty after deserialization. */
    private final transient List<UserProperty> userProperties;

    /**
     * Creates the exception for a broker's DISCONNECT.
     *
     * @param reasonCode      the DISCONNECT's reason code (NORMAL_DISCONNECTION in MQTT 3.1.1, where brokers send none)
     * @param message         what happened, in words
     * @param serverReference the broker's Server Reference, or {@code null}
     * @param reasonString    the broker's Reason String, or {@code null}
     * @param userProperties  the DISCONNECT's user properties
     */
    public MqttDisconnectException(ReasonCode reasonCode, String message, String serverReference, String reasonString,
                                   List<UserProperty> userProperties) {
        super(reasonCode, message, serverReference);
        this.reasonString = reasonString;
        this.userProperties = List.copyOf(userProperties);
    }

    /** {@return the MQTT 5 Reason String of the DISCONNECT, or {@code null}} */
    public String reasonString() {
        return reasonString;
    }

    /** {@return the MQTT 5 user properties of the DISCONNECT, in order; empty if none} */
    public List<UserProperty> userProperties() {
        return userProperties == null ? List.of() : userProperties;
    }
}
