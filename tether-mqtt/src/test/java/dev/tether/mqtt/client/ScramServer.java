package dev.tether.mqtt.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 for the fake broker, with the salt, iteration count and
 * server nonce of RFC 7677's example, and the MQTT 5 packets that carry it: AUTH and CONNACK
 * with Authentication Method and Data.
 */
final class ScramServer {

    static final String METHOD = "SCRAM-SHA-256";
    private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    private final String password;
    private String clientFirstBare;
    private String serverFirst;
    /** Set once the first exchange succeeded: later ones are re-authentications, ended by AUTH. */
    boolean reauthenticating;

    ScramServer(String password) {
        this.password = password;
    }

    /** The server-first message answering a client-first one. */
    String serverFirst(String clientFirst) {
        clientFirstBare = clientFirst.substring(clientFirst.indexOf(",,") + 2);
        String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
        serverFirst = "r=" + clientNonce + SERVER_NONCE + ",s=" + SALT + ",i=4096";
        return serverFirst;
    }

    /** The server-final message ({@code v=...}) when the client's proof is right, else null. */
    String serverFinal(String clientFinal) throws Exception {
        int proofAt = clientFinal.indexOf(",p=");
        String withoutProof = clientFinal.substring(0, proofAt);
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(SALT), 4096, 256))
                .getEncoded();
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
        byte[] signature = hmac(storedKey, authMessage);
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= signature[i];
        }
        if (!MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(proof), storedKey)) {
            return null;
        }
        return "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The Authentication Data of a CONNECT (v5) or AUTH body, as text; null when absent. */
    static String authData(FakeBroker.Packet packet) {
        byte[] body = packet.body();
        int at;
        if (packet.type() == FakeBroker.Packet.CONNECT) {
            at = 2 + ((body[0] & 0xFF) << 8 | body[1] & 0xFF) + 4; // protocol name, level, flags, keep alive
        } else {
            at = 1; // the reason code
        }
        int[] length = vbi(body, at);
        at = length[1];
        int end = at + length[0];
        while (at < end) {
            int id = body[at++] & 0xFF;
            switch (id) {
                case 0x11, 0x27 -> at += 4;
                case 0x21, 0x22 -> at += 2;
                case 0x17, 0x19 -> at += 1;
                case 0x15 -> at += 2 + ((body[at] & 0xFF) << 8 | body[at + 1] & 0xFF);
                case 0x26 -> {
                    at += 2 + ((body[at] & 0xFF) << 8 | body[at + 1] & 0xFF);
                    at += 2 + ((body[at] & 0xFF) << 8 | body[at + 1] & 0xFF);
                }
                case 0x16 -> {
                    int size = (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
                    return new String(body, at + 2, size, StandardCharsets.UTF_8);
                }
                default -> throw new IllegalArgumentException("property " + id + " not expected here");
            }
        }
        return null;
    }

    /** The reason code of an AUTH from the client. */
    static int reasonCode(FakeBroker.Packet packet) {
        return packet.body().length == 0 ? 0 : packet.body()[0] & 0xFF;
    }

    /** An AUTH with {@code code}, the method and {@code data}. */
    static byte[] auth(int code, String data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(code);
        body.writeBytes(properties(data));
        return FakeBroker.packet(0xF0, body.toByteArray());
    }

    /** A CONNACK with {@code code} and, when data is not null, the method and data. */
    static byte[] connack(int code, String data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(code);
        body.writeBytes(data == null ? new byte[] {0} : properties(data));
        return FakeBroker.packet(0x20, body.toByteArray());
    }

    private static byte[] properties(String data) {
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        properties.write(0x15);
        properties.writeBytes(FakeBroker.string(METHOD));
        properties.write(0x16);
        properties.writeBytes(FakeBroker.string(data));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = properties.size();
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(properties.toByteArray());
        return out.toByteArray();
    }

    private static int[] vbi(byte[] body, int at) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            int digit = body[at++] & 0xFF;
            value |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                return new int[] {value, at};
            }
        }
    }
}
