package dev.tether.mqtt.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.HttpConnectProxy;
import dev.tether.mqtt.testkit.MosquittoBroker;
import dev.tether.mqtt.testkit.Socks5Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transport against one Mosquitto: WebSocket and secure WebSocket listeners, a Unix domain
 * socket listener, and TCP, TLS and WebSocket through HTTP CONNECT and SOCKS5 proxies.
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransportMosquittoTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final int[] PAYLOAD_SIZES = {0, 1, 125, 126, 65_535, 65_536, 1 << 20};
    /**
     * Mosquitto 2.0.11 sends to WebSocket clients at some 40 KiB/s (a chunk per turn of its
     * event loop): a 1 MiB message takes about 25 s to arrive. So over WebSocket every QoS gets
     * sizes up to 64 KiB (frame lengths of 7, 16 and 64 bits), and 1 MiB has its own test.
     */
    static final int[] WEBSOCKET_PAYLOAD_SIZES = {0, 1, 125, 126, 65_535, 65_536};

    static TestCertificates certificates;
    static MosquittoBroker broker;
    static Path socketFolder;
    static Path socket;
    static int tlsPort;
    static int wsPort;
    static int wssPort;

    @BeforeAll
    static void startBroker() throws Exception {
        certificates = TestCertificates.get();
        socketFolder = Files.createTempDirectory("tether-unix-");
        // Mosquitto started as root drops to its own user before it binds the socket.
        Files.setPosixFilePermissions(socketFolder, PosixFilePermissions.fromString("rwxrwxrwx"));
        socket = socketFolder.resolve("mqtt.sock");
        String tls = """
                cafile %s
                certfile %s
                keyfile %s
                """.formatted(certificates.caPem, certificates.certificate("server"), certificates.key("server"));
        broker = MosquittoBroker.start(3, ports -> {
            tlsPort = ports[0];
            wsPort = ports[1];
            wssPort = ports[2];
            return "message_size_limit 0\n"
                    + "listener " + tlsPort + " 127.0.0.1\n" + tls
                    + "listener " + wsPort + " 127.0.0.1\nprotocol websockets\n"
                    + "listener " + wssPort + " 127.0.0.1\nprotocol websockets\n" + tls
                    + "listener 0 " + socket + "\n";
        });
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(socketFolder);
    }

    static void publishAndReceiveEveryQosAndSize(MqttClient client, String uri) throws Exception {
        publishAndReceive(client, Qos.values(), uri.startsWith("ws") ? WEBSOCKET_PAYLOAD_SIZES : PAYLOAD_SIZES, WAIT);
    }

    static void publishAndReceive(MqttClient client, Qos[] levels, int[] sizes, Duration wait) throws Exception {
        String topic = "tether-test/transport/" + UUID.randomUUID();
        Random random = new Random(42);
        try (Subscription subscription = client.subscribe(topic, Qos.EXACTLY_ONCE)) {
            for (Qos qos : levels) {
                for (int size : sizes) {
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    client.publish(MqttMessage.newBuilder(topic).payload(payload).qos(qos).build());
                    MqttMessage received = subscription.receive(wait);
                    assertNotNull(received, "nothing came at " + qos + " with " + size + " bytes");
                    assertArrayEquals(payload, received.payload(), qos + ", " + size + " bytes");
                }
            }
        }
    }

    static Stream<Arguments> directUris() {
        return Stream.of(Arguments.of("ws://127.0.0.1:" + wsPort), Arguments.of("ws://127.0.0.1:" + wsPort + "/mqtt"),
                Arguments.of("wss://127.0.0.1:" + wssPort + "/mqtt"), Arguments.of("unix://" + socket),
                Arguments.of("mqtts://127.0.0.1:" + tlsPort), Arguments.of("mqtt://127.0.0.1:" + broker.port()));
    }

    @ParameterizedTest
    @MethodSource("directUris")
    void publishesAndSubscribesAtEveryQosWithPayloadsUpTo1MiB(String uri) throws Exception {
        try (MqttClient client = proxied(uri).connect()) {
            publishAndReceiveEveryQosAndSize(client, uri);
        }
    }

    @ParameterizedTest
    @MethodSource("webSocketUris")
    void aOneMebibytePayloadCrossesWebSocketBothWays(String uri) throws Exception {
        try (MqttClient client = proxied(uri).operationTimeout(Duration.ofSeconds(90)).connect()) {
            publishAndReceive(client, new Qos[] {Qos.AT_LEAST_ONCE}, new int[] {1 << 20}, Duration.ofSeconds(90));
        }
    }

    static Stream<Arguments> webSocketUris() {
        return Stream.of(Arguments.of("ws://127.0.0.1:" + wsPort + "/mqtt"), Arguments.of("wss://127.0.0.1:" + wssPort));
    }

    @Test
    void mqttClientConnectTakesUris() throws Exception {
        try (MqttClient client = MqttClient.connect("ws://127.0.0.1:" + wsPort)) {
            client.publish("tether-test/uri", "ws", Qos.AT_LEAST_ONCE);
        }
        try (MqttClient client = MqttClient.connect("unix://" + socket)) {
            client.publish("tether-test/uri", "unix", Qos.AT_LEAST_ONCE);
        }
        try (MqttClient client = MqttClient.connect("127.0.0.1:" + broker.port())) {
            client.publish("tether-test/uri", "host:port", Qos.AT_LEAST_ONCE);
        }
    }

    @Test
    void builderMethodsChooseTheTransport() throws Exception {
        try (MqttClient client = MqttClient.newBuilder().host("127.0.0.1").port(wssPort).webSocket()
                .trustedCertificates(certificates.caPem).webSocketHeader("X-Tether-Test", "yes").connect()) {
            client.publish("tether-test/builder", "wss", Qos.AT_LEAST_ONCE);
        }
        try (MqttClient client = MqttClient.newBuilder().unixSocket(socket).connect()) {
            client.publish("tether-test/builder", "unix", Qos.AT_LEAST_ONCE);
        }
    }

    @Test
    void aWrongWebSocketPathIsRefusedWithTheStatus() {
        // Mosquitto's WebSocket listener serves any path; the refusal comes from a plain TCP listener.
        MqttException e = assertThrows(MqttException.class, () -> MqttClient.newBuilder()
                .serverUri("ws://127.0.0.1:" + broker.port() + "/mqtt").connectTimeout(Duration.ofSeconds(3)).connect());
        assertTrue(e.getMessage().contains("127.0.0.1:" + broker.port()), e.getMessage());
    }

    static Stream<Arguments> proxiedUris() {
        return Stream.of(Arguments.of("mqtt://127.0.0.1:" + broker.port()), Arguments.of("mqtts://127.0.0.1:" + tlsPort),
                Arguments.of("ws://127.0.0.1:" + wsPort), Arguments.of("wss://127.0.0.1:" + wssPort));
    }

    @ParameterizedTest
    @MethodSource("proxiedUris")
    void tunnelsThroughAnHttpProxyWithBasicAuthentication(String uri) throws Exception {
        try (HttpConnectProxy proxy = HttpConnectProxy.start("proxy-user", "proxy-pass".toCharArray())) {
            try (MqttClient client = proxied(uri).httpProxy(proxy.host(), proxy.port(), "proxy-user",
                    "proxy-pass".toCharArray()).connect()) {
                publishAndReceiveEveryQosAndSize(client, uri);
            }
            assertEquals(1, proxy.tunnels());
        }
    }

    @ParameterizedTest
    @MethodSource("proxiedUris")
    void tunnelsThroughASocks5ProxyWithAndWithoutAuthentication(String uri) throws Exception {
        try (Socks5Proxy proxy = Socks5Proxy.start()) {
            try (MqttClient client = proxied(uri).socksProxy(proxy.host(), proxy.port()).connect()) {
                client.publish("tether-test/socks", "no auth", Qos.AT_LEAST_ONCE);
            }
            assertEquals(1, proxy.tunnels());
        }
        try (Socks5Proxy proxy = Socks5Proxy.start("socks-user", "socks-pass".toCharArray())) {
            try (MqttClient client = proxied(uri).socksProxy(proxy.host(), proxy.port(), "socks-user",
                    "socks-pass".toCharArray()).connect()) {
                publishAndReceiveEveryQosAndSize(client, uri);
            }
            assertEquals(1, proxy.tunnels());
        }
    }

    @Test
    void proxiesRefuseWrongCredentialsWithAClearMessage() throws Exception {
        try (HttpConnectProxy proxy = HttpConnectProxy.start("proxy-user", "proxy-pass".toCharArray())) {
            MqttException e = assertThrows(MqttException.class, () -> proxied("mqtt://127.0.0.1:" + broker.port())
                    .httpProxy(proxy.host(), proxy.port(), "proxy-user", "not-the-pass".toCharArray()).connect());
            assertTrue(e.getMessage().contains("407"), e.getMessage());
            assertEquals(0, proxy.tunnels());
        }
        try (Socks5Proxy proxy = Socks5Proxy.start("socks-user", "socks-pass".toCharArray())) {
            MqttException e = assertThrows(MqttException.class, () -> proxied("mqtt://127.0.0.1:" + broker.port())
                    .socksProxy(proxy.host(), proxy.port(), "socks-user", "not-the-pass".toCharArray()).connect());
            assertTrue(e.getMessage().contains("refused the user name and password"), e.getMessage());
            assertEquals(0, proxy.tunnels());
        }
    }

    static MqttClientBuilder proxied(String uri) {
        MqttClientBuilder builder = MqttClient.newBuilder().serverUri(uri).connectTimeout(WAIT);
        return uri.startsWith("mqtts") || uri.startsWith("wss") ? builder.trustedCertificates(certificates.caPem) : builder;
    }
}
