package dev.tether.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.testkit.ClosedPort;
import dev.tether.mqtt.testkit.EmbeddedHiveMq;
import dev.tether.mqtt.testkit.MqttBroker;
import dev.tether.mqtt.testkit.Poll;
import dev.tether.spring.autoconfigure.MqttConnectFailureAnalyzer;
import dev.tether.spring.autoconfigure.TetherMqttAutoConfiguration;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connecting at start-up: a refusal fails start-up with the reason; the application's own beans take precedence. */
class StartupTest {

    private static final MqttBroker broker = EmbeddedHiveMq.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TetherMqttAutoConfiguration.class))
            .withPropertyValues("tether.mqtt.host=" + broker.host(), "tether.mqtt.port=" + broker.port());

    @Test
    void aBrokerThatRefusesTheConnectionFailsStartUpWithTheReason() throws Exception {
        try (ServerSocket refusing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread broker = Thread.ofVirtual().start(() -> refuseOnce(refusing));
            Throwable failure = assertThrows(Throwable.class, () -> new SpringApplicationBuilder(WeatherApplication.class)
                    .properties("spring.main.web-application-type=none", "spring.main.banner-mode=off",
                            "tether.mqtt.host=127.0.0.1", "tether.mqtt.port=" + refusing.getLocalPort(),
                            "tether.mqtt.username=someone", "tether.mqtt.password=wrong")
                    .run());
            broker.join();
            MqttConnectException refused = cause(failure, MqttConnectException.class);
            assertNotNull(refused, "no MqttConnectException in " + failure);
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, refused.reasonCode());

            FailureAnalysis analysis = new MqttConnectFailureAnalyzer().analyze(failure);
            assertNotNull(analysis, "the failure analyzer did not recognise " + failure);
            assertTrue(analysis.getDescription().contains("127.0.0.1:" + refusing.getLocalPort()), analysis.getDescription());
            assertTrue(analysis.getDescription().contains(refused.getMessage()), analysis.getDescription());
            assertTrue(!analysis.getDescription().contains("wrong"), "the password must not appear: " + analysis.getDescription());
            assertTrue(analysis.getAction().contains("tether.mqtt.username"), analysis.getAction());
        }
    }

    /** Answers the first CONNECT with an MQTT 5 CONNACK: Bad user name or password (0x86). */
    private static void refuseOnce(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            in.read(new byte[1024]);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x20, 0x03, 0x00, (byte) 0x86, 0x00});
            out.flush();
            in.read(); // until the client closes
        } catch (Exception e) {
            // the test fails on the client's side
        }
    }

    @Test
    void anUnreachableBrokerFailsStartUpNamingIt() throws Exception {
        try (ClosedPort closed = ClosedPort.open()) {
            int closedPort = closed.port();
            runner.withPropertyValues("tether.mqtt.host=" + closed.host(), "tether.mqtt.port=" + closedPort,
                    "tether.mqtt.connect-timeout=5s").run(context -> {
                Throwable failure = context.getStartupFailure();
                assertNotNull(failure);
                FailureAnalysis analysis = new MqttConnectFailureAnalyzer().analyze(failure);
                assertNotNull(analysis);
                assertTrue(analysis.getDescription().contains(String.valueOf(closedPort)), analysis.getDescription());
                assertTrue(analysis.getAction().contains("tether.mqtt.host"), analysis.getAction());
            });
        }
    }

    @Test
    void customizersRunAfterThePropertiesAndBeforeConnecting() {
        List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        runner.withPropertyValues("tether.mqtt.identifier=from-properties")
                .withBean(MqttClientBuilderCustomizer.class, () -> builder -> builder.identifier("from-customizer")
                        .connectionListener(events::add))
                .run(context -> {
                    MqttClient client = context.getBean(MqttClient.class);
                    assertEquals(ConnectionState.CONNECTED, client.state());
                    assertTrue(Poll.until(java.time.Duration.ofSeconds(10), () -> !events.isEmpty()), "the customizer's listener saw nothing");
                    assertTrue(client.toString().contains("from-customizer") || events.getFirst() instanceof ConnectionEvent.Connected,
                            events.toString());
                });
    }

    @Test
    void theApplicationsOwnClientBeanIsUsedAndStillClosedByTheContext() {
        runner.withUserConfiguration(OwnClient.class).run(context -> {
            MqttClient client = context.getBean(MqttClient.class);
            assertSame(OwnClient.client, client);
            assertNotNull(context.getBean(MqttTemplate.class));
            context.close();
            assertEquals(ConnectionState.CLOSED, client.state());
        });
    }

    @Test
    void anUnknownSslBundleFailsStartUpNamingIt() {
        runner.withConfiguration(AutoConfigurations.of(org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration.class))
                .withPropertyValues("tether.mqtt.tls.bundle=missing-bundle").run(context -> {
                    Throwable failure = context.getStartupFailure();
                    assertNotNull(failure);
                    assertTrue(messages(failure).contains("missing-bundle"), messages(failure));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        static MqttClient client;

        @Bean
        MqttClient ownClient() throws Exception {
            client = MqttClient.newBuilder().host(broker.host()).port(broker.port()).identifier("own-client").connect();
            return client;
        }
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
