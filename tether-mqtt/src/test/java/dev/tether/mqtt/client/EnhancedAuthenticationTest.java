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
import dev.tether.mqtt.Statement;
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
    @Statement(v5 = {"MQTT-3.1.2-30", "MQTT-3.15.1-1", "MQTT-4.12.0-3", "MQTT-4.12.0-5", "MQTT-4.12.1-1"})
    void connectsWithScramSha256AndReauthenticates() throws Exception {
        try (FakeBroker broker = scramBroker("pencil");
             MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port())
                     .authenticator(Authenticator.scramSha256("user", "pencil".toCharArray())).connect()) {
            FakeBroker.Packet connect = broker.nextPacket(FakeBroker.Packet.CONNECT, WAIT);
            assertTrue(connect.contains("SCRAM-SHA-256"), "CONNECT names the method");
            assertTrue(ScramServer.authData(connect).startsWith("n,,n=user,r="), ScramServer.authData(connect));
            // Until CONNACK only AUTH: the answer to the challenge, Continue authentication, same method.
            assertAuth(broker.nextPacket(WAIT), 0x18);
            client.reauthenticate();
            assertAuth(broker.nextPacket(WAIT), 0x19); // Re-authenticate, after CONNACK, the original method
            assertAuth(broker.nextPacket(WAIT), 0x18);
            client.reauthenticate();
        }
    }

    private static void assertAuth(FakeBroker.Packet packet, int reasonCode) {
        assertNotNull(packet);
        assertEquals(15, packet.type(), "an AUTH");
        assertEquals(0, packet.flags(), "AUTH's fixed header flags are 0000");
        assertEquals(reasonCode, packet.body()[0] & 0xFF);
        assertTrue(packet.contains("SCRAM-SHA-256"), "every AUTH names the method of the CONNECT");
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

    /** The broker's final signature on re-authentication is an impostor's: the client disconnects, not authorized. */
    @Test
    @Statement(v5 = "MQTT-4.12.1-2")
    void aFailedReauthenticationEndsWithADisconnect() throws Exception {
        ScramServer server = new ScramServer("pencil");
        try (FakeBroker broker = FakeBroker.start(packet -> {
            try {
                return switch (packet.type()) {
                    case FakeBroker.Packet.CONNECT -> ScramServer.auth(0x18, server.serverFirst(ScramServer.authData(packet)));
                    case 15 -> {
                        if (ScramServer.reasonCode(packet) == 0x19) {
                            yield ScramServer.auth(0x18, server.serverFirst(ScramServer.authData(packet)));
                        }
                        String verdict = server.serverFinal(ScramServer.authData(packet));
                        boolean again = server.reauthenticating;
                        server.reauthenticating = true;
                        yield again ? ScramServer.auth(0x00, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
                                : ScramServer.connack(0, verdict);
                    }
                    default -> null;
                };
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }); MqttClient client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).reconnect(false)
                .authenticator(Authenticator.scramSha256("user", "pencil".toCharArray())).connect()) {
            MqttException e = assertThrows(MqttException.class, client::reauthenticate);

            assertTrue(e.getMessage().contains("re-authentication failed"), e.getMessage());
            FakeBroker.Packet disconnect = broker.nextPacket(FakeBroker.Packet.DISCONNECT, WAIT);
            assertNotNull(disconnect, "the client said why it ends the connection");
            assertEquals(0x87, disconnect.body()[0] & 0xFF, "not authorized");
            assertTrue(broker.awaitClosedByClient(WAIT));
        }
    }

    @Test
    @Statement(v5 = "MQTT-4.12.0-7")
    void anAuthFromABrokerWithoutAnAuthenticatorIsAProtocolError() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> packet.type() == FakeBroker.Packet.CONNECT
                ? ScramServer.auth(0x18, "r=x") : null)) {
            MqttException e = assertThrows(MqttException.class, () -> MqttClient.newBuilder()
                    .host(broker.host()).port(broker.port()).connect());
            assertEquals(ReasonCode.PROTOCOL_ERROR, e.reasonCode());
            assertEquals(FakeBroker.Packet.CONNECT, broker.nextPacket(WAIT).type());
            FakeBroker.Packet disconnect = broker.nextPacket(WAIT);
            assertEquals(FakeBroker.Packet.DISCONNECT, disconnect.type(), "no AUTH without an authentication method");
            assertEquals(0x82, disconnect.body()[0] & 0xFF);
        }
    }
}
