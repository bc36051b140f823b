package dev.tether.mqtt.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SCRAM-SHA-256 client against the example exchange of RFC 7677, section 3. */
class ScramSha256Test {

    static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    static ScramSha256 rfcClient() {
        return new ScramSha256("user", "pencil".toCharArray(), () -> "rOprNGfwEbeRWgbNEkqO");
    }

    @Test
    void producesTheMessagesOfRfc7677() throws Exception {
        ScramSha256 scram = rfcClient();
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", text(scram.initialData()));
        assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", text(scram.onChallenge(bytes(SERVER_FIRST))));
        scram.onSuccess(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    @Test
    void refusesAServerThatDoesNotKnowThePassword() throws Exception {
        ScramSha256 scram = rfcClient();
        scram.initialData();
        scram.onChallenge(bytes(SERVER_FIRST));
        MqttException e = assertThrows(MqttException.class,
                () -> scram.onSuccess(bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertTrue(e.getMessage().contains("signature is wrong"), e.getMessage());
        assertFalse(e.getMessage().contains("pencil"));
    }

    @Test
    void refusesANonceThatDoesNotExtendTheClientsAndAbsurdIterationCounts() throws Exception {
        ScramSha256 scram = rfcClient();
        scram.initialData();
        assertThrows(MqttException.class, () -> scram.onChallenge(bytes("r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
        ScramSha256 slow = rfcClient();
        slow.initialData();
        MqttException e = assertThrows(MqttException.class, () -> slow.onChallenge(
                bytes("r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000")));
        assertTrue(e.getMessage().contains("iteration count"), e.getMessage());
    }

    @Test
    void toStringHidesThePassword() {
        assertFalse(rfcClient().toString().contains("pencil"));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
