package dev.tether.mqtt;

import java.util.List;

/**
 * The broker refused the connection: its CONNACK carried an error reason code (or a 3.1.1 return
 * code), given by {@link #reasonCode()}, with the server's reason string in the message. The
 * CONNACK's byte as sent is {@link #returnCode()}; its MQTT 5 reason string, user properties and
 * server reference have accessors of their own.
 *
 * <pre>{@code
 * try (MqttClient client = MqttClient.newBuilder().host("broker").credentials("u", pw).connect()) {
 *     ...
 * } catch (MqttConnectException e) {
 *     if (e.reasonCode() == ReasonCode.BAD_USER_NAME_OR_PASSWORD) { ... }
 * }
 * }</pre>
 */
public final class MqttConnectException extends MqttException {

    private static final long serialVersionUID = 1L;

    private final int returnCode;
    private final String reasonString;
    /** Not serialized (a user property is not serializable): empty after deserialization. */
    private final transient List<UserProperty> userProperties;

    /**
     * Creates the exception.
     *
     * @param reasonCode the reason code of the CONNACK
     * @param message what happened, with the server's reason string
     */
    public MqttConnectException(ReasonCode reasonCode, String message) {
        this(reasonCode, reasonCode.code(), message, null, null, List.of());
    }

    /**
     * A refusal that refers the client to another server.
     *
     * @param reasonCode      the reason code from the CONNACK
     * @param message         what happened
     * @param serverReference the broker's Server Reference, or {@code null}
     */
    public MqttConnectException(ReasonCode reasonCode, String message, String serverReference) {
        this(reasonCode, reasonCode.code(), message, serverReference, null, List.of());
    }

    /**
     * A refusal with everything its CONNACK said.
     *
     * <pre>{@code
     * throw new MqttConnectException(ReasonCode.BAD_USER_NAME_OR_PASSWORD, 4, "refused", null, null, List.of());
     * }</pre>
     *
     * @param reasonCode      the reason code, MQTT 3.1.1's return code mapped to its MQTT 5 equivalent
     * @param returnCode      the byte the CONNACK carried: the MQTT 3.1.1 return code (1 to 5) or the
     *                        MQTT 5 reason code
     * @param message         what happened
     * @param serverReference the broker's Server Reference, or {@code null}
     * @param reasonString    the broker's Reason String, or {@code null}
     * @param userProperties  the CONNACK's user properties
     */
    public MqttConnectException(ReasonCode reasonCode, int returnCode, String message, String serverReference,
                                String reasonString, List<UserProperty> userProperties) {
        super(reasonCode, message, serverReference);
        this.returnCode = returnCode;
        this.reasonString = reasonString;
        this.userProperties = List.copyOf(userProperties);
    }

    /**
     * The refusal as the CONNACK's byte: for MQTT 3.1.1 its return code, 1 (unacceptable protocol
     * version) to 5 (not authorized), which {@link #reasonCode()} maps to the MQTT 5 reason code of
     * the same meaning; for MQTT 5 the reason code's own value, {@code reasonCode().code()}.
     *
     * <pre>{@code
     * if (e.returnCode() == 4) { askForTheCredentialsAgain(); } // 3.1.1: bad user name or password
     * }</pre>
     *
     * @return the return code or reason code as it was on the wire
     */
    public int returnCode() {
        return returnCode;
    }

    /** {@return the MQTT 5 Reason String of the CONNACK, or {@code null}} */
    public String reasonString() {
        return reasonString;
    }

    /** {@return the MQTT 5 user properties of the CONNACK, in order; empty if none} */
    public List<UserProperty> userProperties() {
        return userProperties == null ? List.of() : userProperties;
    }
}
