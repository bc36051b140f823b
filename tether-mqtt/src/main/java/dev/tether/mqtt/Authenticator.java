package dev.tether.mqtt;

import dev.tether.mqtt.internal.transport.ScramSha256;

/**
 * MQTT 5 enhanced authentication (MQTT 5, 4.12): a challenge and response exchange in AUTH
 * packets, named by an authentication method. The client calls {@link #initialData()} when it
 * sends CONNECT (or AUTH to re-authenticate), {@link #onChallenge(byte[])} for each AUTH with
 * reason code Continue authentication (0x18) the broker sends, and {@link #onSuccess(byte[])}
 * with the data of the CONNACK or AUTH that ends the exchange.
 *
 * <p>Each call of {@link #initialData()} starts a new exchange. The methods are called by one
 * thread at a time, never concurrently; an implementation throws {@link MqttException} to abort
 * (the connection is then closed). Implementations must not put secrets in exception messages.
 *
 * {@snippet :
 * MqttClient client = MqttClient.newBuilder()
 *         .host("broker.example")
 *         .authenticator(Authenticator.scramSha256("user", password))
 *         .connect();
 * client.reauthenticate();
 * }
 */
public interface Authenticator {

    /**
     * The authentication method, such as {@code SCRAM-SHA-256}.
     *
     * @return the method's name, sent as the Authentication Method property
     */
    String method();

    /**
     * Starts an exchange.
     *
     * @return the Authentication Data of the CONNECT or re-authentication AUTH, or null for none
     * @throws MqttException if no exchange can be started
     */
    byte[] initialData() throws MqttException;

    /**
     * Answers a challenge from the broker.
     *
     * @param challenge the Authentication Data of the broker's AUTH, empty when it had none
     * @return the Authentication Data of the client's answering AUTH, or null for none
     * @throws MqttException if the challenge is not acceptable; the connection is closed
     */
    byte[] onChallenge(byte[] challenge) throws MqttException;

    /**
     * Ends an exchange the broker accepted; may check what the broker sent, for instance a
     * server signature that proves the broker knew the password too.
     *
     * @param data the Authentication Data of the CONNACK or AUTH of success, empty when it had none
     * @throws MqttException if the broker's final data is not acceptable; the connection is closed
     */
    default void onSuccess(byte[] data) throws MqttException {
    }

    /**
     * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: the password never crosses the
     * wire, and the client checks that the broker knows it too.
     *
     * @param username the user name, SASLprep'ed by the caller if it needs to be
     * @param password the password; copied, the caller may clear the array afterwards
     * @return a new authenticator
     */
    static Authenticator scramSha256(String username, char[] password) {
        return new ScramSha256(username, password);
    }
}
