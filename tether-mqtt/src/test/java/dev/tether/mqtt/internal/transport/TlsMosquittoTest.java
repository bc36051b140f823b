package dev.tether.mqtt.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MosquittoBroker;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS against Mosquitto with certificates made by the test: a plain TLS listener, one that
 * requires client certificates, one with a certificate for another host, one with an expired
 * certificate.
 */
@Tag("interop")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsMosquittoTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static TestCertificates certificates;
    static MosquittoBroker broker;
    static int tlsPort;
    static int mutualPort;
    static int wrongHostPort;
    static int expiredPort;

    @BeforeAll
    static void startBroker() {
        certificates = TestCertificates.get();
        broker = MosquittoBroker.start(4, ports -> {
            tlsPort = ports[0];
            mutualPort = ports[1];
            wrongHostPort = ports[2];
            expiredPort = ports[3];
            return listener(tlsPort, "server", false)
                    + listener(mutualPort, "server", true)
                    + listener(wrongHostPort, "wronghost", false)
                    + listener(expiredPort, "expired", false);
        });
    }

    static String listener(int port, String certificate, boolean requireClientCertificate) {
        return """
                listener %d 127.0.0.1
                cafile %s
                certfile %s
                keyfile %s
                require_certificate %s
                """.formatted(port, certificates.caPem, certificates.certificate(certificate),
                certificates.key(certificate), requireClientCertificate);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static MqttClientBuilder builder(int port) {
        return MqttClient.newBuilder().host("127.0.0.1").port(port).connectTimeout(WAIT);
    }

    static void publishAndReceive(MqttClient client) throws Exception {
        String topic = "tether-test/tls/" + UUID.randomUUID();
        try (Subscription subscription = client.subscribe(topic, Qos.EXACTLY_ONCE)) {
            for (Qos qos : Qos.values()) {
                byte[] payload = ("over TLS at " + qos).getBytes(StandardCharsets.UTF_8);
                client.publish(MqttMessage.newBuilder(topic).payload(payload).qos(qos).build());
                MqttMessage received = subscription.receive(WAIT);
                assertArrayEquals(payload, received.payload());
            }
        }
    }

    @Test
    void connectsPublishesAndSubscribesOverTlsTrustingThePemCa() throws Exception {
        try (MqttClient client = builder(tlsPort).trustedCertificates(certificates.caPem).connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void connectsWithAMqttsUri() throws Exception {
        try (MqttClient client = MqttClient.newBuilder().serverUri("mqtts://127.0.0.1:" + tlsPort)
                .trustedCertificates(certificates.caPem).connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void connectsWithACustomSslContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = new FileInputStream(certificates.caPem.toFile())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        try (MqttClient client = builder(tlsPort).tls(context).connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void onlyTls13WhenAsked() throws Exception {
        try (MqttClient client = builder(tlsPort).trustedCertificates(certificates.caPem).tlsProtocols("TLSv1.3").connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void refusesAServerItDoesNotTrustByDefault() {
        MqttException e = assertThrows(MqttException.class, () -> builder(tlsPort).tls().connect());
        assertTrue(e.getMessage().contains("not signed by a trusted CA"), e.getMessage());
    }

    @Test
    void insecureTrustAllConnectsToAnyCertificate() throws Exception {
        try (MqttClient client = builder(wrongHostPort).insecureTrustAll().connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void mutualTlsConnectsWithAPemClientCertificateAndEcKey() throws Exception {
        try (MqttClient client = builder(mutualPort).trustedCertificates(certificates.caPem)
                .clientCertificate(certificates.certificate("client"), certificates.key("client")).connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void mutualTlsConnectsWithAClientKeyStore() throws Exception {
        try (MqttClient client = builder(mutualPort).trustedCertificates(certificates.caPem)
                .clientKeyStore(certificates.keyStore("client"), TestCertificates.STORE_PASSWORD.toCharArray()).connect()) {
            publishAndReceive(client);
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutCertificate() {
        MqttException e = assertThrows(MqttException.class, () -> {
            try (MqttClient client = builder(mutualPort).trustedCertificates(certificates.caPem).connect()) {
                client.publish("tether-test/never", "x", Qos.AT_LEAST_ONCE);
            }
        });
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("certificate")
                || e.getMessage().contains("closed the connection"), e.getMessage());
    }

    @Test
    void refusesACertificateForAnotherHostSayingHostnameMismatch() {
        MqttException e = assertThrows(MqttException.class,
                () -> builder(wrongHostPort).trustedCertificates(certificates.caPem).connect());
        assertTrue(e.getMessage().contains("hostname mismatch"), e.getMessage());
    }

    @Test
    void refusesAnExpiredCertificateSayingExpired() {
        MqttException e = assertThrows(MqttException.class,
                () -> builder(expiredPort).trustedCertificates(certificates.caPem).connect());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void refusesAWrongKeyStorePasswordWithoutShowingIt() {
        char[] wrong = "wrong-password-0815".toCharArray();
        MqttException e = assertThrows(MqttException.class, () -> builder(mutualPort)
                .trustedCertificates(certificates.caPem).clientKeyStore(certificates.keyStore("client"), wrong).connect());
        assertTrue(e.getMessage().contains("key store"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong-password-0815"), e.getMessage());
    }

    @Test
    void theServerUriOfTlsDefaultsToPort8883() {
        assertEquals(8883, Endpoint.parse("mqtts://broker.example").port());
        assertEquals(Endpoint.Scheme.TLS, Endpoint.parse("ssl://broker.example:1234").scheme());
    }
}
