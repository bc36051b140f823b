package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Authenticator;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 enhanced authentication with SCRAM-SHA-256 against the fake broker playing the server
 * side with RFC 7677's parameters: during CONNECT and again on the live connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnhancedAuthenticationTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A fake broker that authenticates every exchange with SCRAM, and answers re-authentication too. */
    static FakeBroker scramBroker(String password) {
        ScramServer server = new ScramServer(password);
        return FakeBroker.start(packet -> {
            try {
                return switch (packet.type()) {
                    case FakeBroker.Packet.CONNECT -> ScramServer.authData(packet) == null
                            ? ScramServer.connack(0x8C, null)
                            : ScramServer.auth(0x18, server.serverFirst(ScramServer.authData(packet)));
                    case 15 -> {
                        if (ScramServer.reasonCode(packet) == 0x19) {
                            yield ScramServer.auth(0x18, server.serverFirst(ScramServer.authData(packet)));
                        }
                        String verdict = server.serverFinal(ScramServer.authData(packet));
                        if (verdict == null) {
                            yield server.reauthenticating ? FakeBroker.disconnect(0x87, "bad proof")
                                    : ScramServer.connack(0x86, null);
                        }
                        byte[] answer = server.reauthenticating ? ScramServer.auth(0x00, verdict) : ScramServer.connack(0, verdict);
                        server.reauthenticating = true;
                        yield answer;
                    }
                    default -> null;
                };
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void connectsWithScramSha256AndReauthenticates() throws Exception {
        try (FakeBroker broker = scramBroker("pencil");
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port())
                     .authenticator(Authenticator.scramSha256("user", "pencil".toCharArray())).connect()) {
            FakeBroker.Packet connect = broker.nextPacket(FakeBroker.Packet.CONNECT, WAIT);
            assertTrue(connect.contains("SCRAM-SHA-256"), "CONNECT names the method");
            assertTrue(ScramServer.authData(connect).startsWith("n,,n=user,r="), ScramServer.authData(connect));
            client.reauthenticate();
            FakeBroker.Packet reauth = broker.nextPacket(15, WAIT);
            assertNotNull(reauth);
            client.reauthenticate();
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() throws Exception {
        try (FakeBroker broker = scramBroker("pencil")) {
            MqttConnectException e = assertThrows(MqttConnectException.class, () -> MqttClient.newBuilder()
                    .host(broker.host()).port(broker.port())
                    .authenticator(Authenticator.scramSha256("user", "crayon".toCharArray())).connect());
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, e.reasonCode());
        }
    }

    @Test
    void aBrokerThatDoesNotKnowThePasswordIsRefusedByTheClient() throws Exception {
        // The broker checks the proof, then ends with a signature that is not the one the
        // password gives (RFC 7677's, made for another client nonce): an impostor.
        ScramServer honest = new ScramServer("pencil");
        try (FakeBroker broker = FakeBroker.start(packet -> {
            try {
                if (packet.type() == FakeBroker.Packet.CONNECT) {
                    return ScramServer.auth(0x18, honest.serverFirst(ScramServer.authData(packet)));
                }
                if (packet.type() == 15) {
                    String proofChecked = honest.serverFinal(ScramServer.authData(packet));
                    assertNotNull(proofChecked);
                    return ScramServer.connack(0, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
                }
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })) {
            MqttException e = assertThrows(MqttException.class, () -> MqttClient.newBuilder()
                    .host(broker.host()).port(broker.port())
                    .authenticator(Authenticator.scramSha256("user", "pencil".toCharArray())).connect());
            assertTrue(e.getMessage().contains("signature is wrong"), e.getMessage());
            assertTrue(broker.awaitClosedByClient(WAIT));
        }
    }

    @Test
    void anAuthFromABrokerWithoutAnAuthenticatorIsAProtocolError() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT
                ? ScramServer.auth(0x18, "r=x") : null)) {
            MqttException e = assertThrows(MqttException.class, () -> MqttClient.newBuilder()
                    .host(broker.host()).port(broker.port()).connect());
            assertEquals(ReasonCode.PROTOCOL_ERROR, e.reasonCode());
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect);
            assertEquals(0x82, disconnect.body()[0] & 0xFF);
        }
    }
}
