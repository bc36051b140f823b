package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Authenticator;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.testkit.HttpConnectProxy;
import dev.tether.mqtt.testkit.Socks5Proxy;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No password, key or token shows in an exception message (causes and suppressed ones included),
 * a {@code toString}, or a log line (everything the client logs, at every level, captured from
 * {@code java.util.logging}, which backs {@link System.Logger}) during runs that fail because a
 * secret is wrong.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialLeakTest {

    static final String MQTT_PASSWORD = "mqtt-secret-9f3a";
    static final String STORE_PASSWORD = "store-secret-7c21";
    static final String WRONG_STORE_PASSWORD = "store-wrong-2b88";
    static final String PROXY_PASSWORD = "proxy-secret-5e17";
    static final String WRONG_PROXY_PASSWORD = "proxy-wrong-6d40";
    static final String SCRAM_PASSWORD = "scram-secret-1a9c";
    static final String HEADER_TOKEN = "Bearer token-secret-33ab";

    @TempDir
    Path folder;

    /** Written by the log handler on whichever client thread logs, read by the test. */
    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<String> secrets = new ArrayList<>(List.of(MQTT_PASSWORD, STORE_PASSWORD, WRONG_STORE_PASSWORD,
            PROXY_PASSWORD, WRONG_PROXY_PASSWORD, SCRAM_PASSWORD, HEADER_TOKEN, "token-secret-33ab",
            base64("user:" + PROXY_PASSWORD), base64("user:" + WRONG_PROXY_PASSWORD)));
    final Logger tether = Logger.getLogger("dev.tether.mqtt");
    Level previousLevel;
    final Handler capture = new Handler() {
        final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            seen.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        previousLevel = tether.getLevel();
        tether.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        tether.addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        tether.removeHandler(capture);
        tether.setLevel(previousLevel);
    }

    void record(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            seen.add(t.getClass().getName() + ": " + t.getMessage());
            seen.add(String.valueOf(t));
            for (Throwable suppressed : t.getSuppressed()) {
                record(suppressed);
            }
        }
    }

    void assertNoSecretSeen() {
        assertTrue(seen.size() > 1, "something was captured: " + seen);
        for (String line : seen) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret shows in: " + line);
            }
        }
    }

    @Test
    void aWrongKeyStorePasswordAndABrokenKeyShowNoSecret() throws Exception {
        Path store = folder.resolve("client.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setEntry("k", new KeyStore.SecretKeyEntry(KeyGenerator.getInstance("AES").generateKey()),
                new KeyStore.PasswordProtection(STORE_PASSWORD.toCharArray()));
        try (OutputStream out = Files.newOutputStream(store)) {
            keyStore.store(out, STORE_PASSWORD.toCharArray());
        }
        MqttClientBuilder wrongPassword = MqttClient.newBuilder().port(1).clientKeyStore(store,
                WRONG_STORE_PASSWORD.toCharArray());
        seen.add(wrongPassword.toString());
        record(assertThrows(Exception.class, wrongPassword::connect));

        // A private key cut in the middle: none of its Base64 may be quoted.
        String encoded = Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded());
        String broken = encoded.substring(0, encoded.length() / 2) + "AAAA";
        for (int i = 0; i + 16 <= broken.length(); i += 8) {
            secrets.add(broken.substring(i, i + 16));
        }
        Path key = Files.writeString(folder.resolve("client.key"),
                "-----BEGIN PRIVATE KEY-----\n" + broken + "\n-----END PRIVATE KEY-----\n");
        Path certificate = Files.writeString(folder.resolve("client.pem"), "not used: the key fails first");
        record(assertThrows(Exception.class, () -> MqttClient.newBuilder().port(1)
                .clientCertificate(certificate, key).connect()));
        assertNoSecretSeen();
    }

    @Test
    void wrongProxyPasswordsShowNoSecret() throws Exception {
        try (HttpConnectProxy http = HttpConnectProxy.start("user", PROXY_PASSWORD.toCharArray());
             Socks5Proxy socks = Socks5Proxy.start("user", PROXY_PASSWORD.toCharArray())) {
            MqttClientBuilder viaHttp = MqttClient.newBuilder().host("127.0.0.1").port(1)
                    .httpProxy(http.host(), http.port(), "user", WRONG_PROXY_PASSWORD.toCharArray())
                    .webSocketHeader("Authorization", HEADER_TOKEN).webSocket()
                    .credentials("user", MQTT_PASSWORD.toCharArray());
            seen.add(viaHttp.toString());
            record(assertThrows(Exception.class, viaHttp::connect));
            MqttClientBuilder viaSocks = MqttClient.newBuilder().host("127.0.0.1").port(1)
                    .socksProxy(socks.host(), socks.port(), "user", WRONG_PROXY_PASSWORD.toCharArray());
            seen.add(viaSocks.toString());
            record(assertThrows(Exception.class, viaSocks::connect));
        }
        assertNoSecretSeen();
    }

    @Test
    void wrongMqttAndScramPasswordsShowNoSecret() throws Exception {
        try (FakeBroker broker = FakeBroker.start(packet -> FakeBroker.connack(true, 0x86, "bad user name or password"))) {
            MqttClientBuilder builder = MqttClient.newBuilder().host(broker.host()).port(broker.port())
                    .credentials("user", MQTT_PASSWORD.toCharArray());
            seen.add(builder.toString());
            record(assertThrows(Exception.class, builder::connect));
        }
        try (FakeBroker broker = EnhancedAuthenticationTest.scramBroker("another-password")) {
            Authenticator scram = Authenticator.scramSha256("user", SCRAM_PASSWORD.toCharArray());
            seen.add(scram.toString());
            record(assertThrows(Exception.class, () -> MqttClient.newBuilder().host(broker.host()).port(broker.port())
                    .authenticator(scram).connect()));
        }
        assertNoSecretSeen();
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
