package dev.tether.mqtt.internal.transport;

import dev.tether.mqtt.Authenticator;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding, as an MQTT 5
 * {@link Authenticator}: client-first in CONNECT (or AUTH 0x19), client-final in answer to the
 * server-first challenge, the server's signature checked on success. Messages say which step
 * failed, never the password or any key derived from it.
 */
public final class ScramSha256 implements Authenticator {

    /** Fewer iterations than RFC 7677's minimum make the stored key too cheap to attack. */
    static final int MINIMUM_ITERATIONS = 4096;
    /** A hostile broker must not make the client spin for minutes on key derivation. */
    static final int MAXIMUM_ITERATIONS = 1_000_000;

    private final String username;
    private final char[] password;
    private final Supplier<String> nonces;
    private final ReentrantLock lock = new ReentrantLock();

    private String clientFirstBare;
    private String clientNonce;
    private byte[] expectedServerSignature;

    public ScramSha256(String username, char[] password) {
        this(username, password, ScramSha256::randomNonce);
    }

    /** With chosen client nonces: for tests against the RFC's example. */
    ScramSha256(String username, char[] password, Supplier<String> nonces) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password").clone();
        this.nonces = nonces;
    }

    @Override
    public String method() {
        return "SCRAM-SHA-256";
    }

    @Override
    public byte[] initialData() {
        lock.lock();
        try {
            clientNonce = nonces.get();
            clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
            expectedServerSignature = null;
            return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public byte[] onChallenge(byte[] challenge) throws MqttException {
        lock.lock();
        try {
            if (clientFirstBare == null || expectedServerSignature != null) {
                throw failure("a second SCRAM challenge came; the exchange has one");
            }
            String serverFirst = new String(challenge, StandardCharsets.UTF_8);
            String nonce = attribute(serverFirst, 'r');
            String salt = attribute(serverFirst, 's');
            String iterationText = attribute(serverFirst, 'i');
            if (nonce == null || salt == null || iterationText == null) {
                throw failure("the server-first message lacks the nonce, salt or iteration count");
            }
            if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
                throw failure("the server's nonce does not extend the client's (RFC 5802, 5.1)");
            }
            int iterations;
            try {
                iterations = Integer.parseInt(iterationText);
            } catch (NumberFormatException e) {
                throw failure("the iteration count is not a number");
            }
            if (iterations < MINIMUM_ITERATIONS || iterations > MAXIMUM_ITERATIONS) {
                throw failure("the iteration count " + iterations + " is outside " + MINIMUM_ITERATIONS + " to "
                        + MAXIMUM_ITERATIONS);
            }
            byte[] saltBytes;
            try {
                saltBytes = Base64.getDecoder().decode(salt);
            } catch (IllegalArgumentException e) {
                throw failure("the salt is not Base64");
            }
            String clientFinalWithoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
            byte[] salted = null;
            byte[] clientKey = null;
            try {
                salted = saltedPassword(saltBytes, iterations);
                clientKey = hmac(salted, "Client Key");
                byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
                byte[] proof = hmac(storedKey, authMessage);
                for (int i = 0; i < proof.length; i++) {
                    proof[i] ^= clientKey[i];
                }
                expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
                return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                        .getBytes(StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                throw failure("the JDK cannot compute SCRAM-SHA-256 (" + e.getClass().getSimpleName() + ")");
            } finally {
                if (salted != null) {
                    Arrays.fill(salted, (byte) 0);
                }
                if (clientKey != null) {
                    Arrays.fill(clientKey, (byte) 0);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onSuccess(byte[] data) throws MqttException {
        lock.lock();
        try {
            if (expectedServerSignature == null) {
                throw failure("the broker accepted before the SCRAM exchange was complete");
            }
            String serverFinal = new String(data, StandardCharsets.UTF_8);
            String error = attribute(serverFinal, 'e');
            if (error != null) {
                throw failure("the broker reported '" + error + "'");
            }
            String verifier = attribute(serverFinal, 'v');
            byte[] signature;
            try {
                signature = verifier == null ? null : Base64.getDecoder().decode(verifier);
            } catch (IllegalArgumentException e) {
                signature = null;
            }
            boolean valid = signature != null && MessageDigest.isEqual(signature, expectedServerSignature);
            expectedServerSignature = null;
            clientFirstBare = null;
            if (!valid) {
                throw failure("the broker's signature is wrong: it does not know the password (RFC 5802, 9)");
            }
        } finally {
            lock.unlock();
        }
    }

    private byte[] saltedPassword(byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    private static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static String randomNonce() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).replace(',', '-');
    }

    private static MqttException failure(String what) {
        return new MqttException(ReasonCode.NOT_AUTHORIZED, "SCRAM-SHA-256 authentication failed: " + what);
    }

    @Override
    public String toString() {
        return "ScramSha256[username=" + username + ", password=****]";
    }
}
