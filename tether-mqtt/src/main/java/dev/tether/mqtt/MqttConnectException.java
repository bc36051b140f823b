package dev.tether.mqtt;

/**
 * The broker refused the connection: its CONNACK carried an error reason code (or a 3.1.1 return
 * code), given by {@link #reasonCode()}, with the server's reason string in the message.
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

    /**
     * Creates the exception.
     *
     * @param reasonCode the reason code of the CONNACK
     * @param message what happened, with the server's reason string
     */
    public MqttConnectException(ReasonCode reasonCode, String message) {
        super(reasonCode, message);
    }

    /**
     * A refusal that refers the client to another server.
     *
     * @param reasonCode      the reason code from the CONNACK
     * @param message         what happened
     * @param serverReference the broker's Server Reference, or {@code null}
     */
    public MqttConnectException(ReasonCode reasonCode, String message, String serverReference) {
        super(reasonCode, message, serverReference);
    }
}
