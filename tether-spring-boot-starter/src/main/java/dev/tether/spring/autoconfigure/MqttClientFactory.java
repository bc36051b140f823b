package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.spring.MqttClientBuilderCustomizer;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.ssl.SslBundles;

/** Builds the shared client from the properties, then the customizers, and connects it. */
final class MqttClientFactory {

    private final TetherMqttProperties properties;
    private final SslBundles sslBundles;
    private final List<MqttClientBuilderCustomizer> customizers;

    MqttClientFactory(TetherMqttProperties properties, SslBundles sslBundles, List<MqttClientBuilderCustomizer> customizers) {
        this.properties = properties;
        this.sslBundles = sslBundles;
        this.customizers = customizers;
    }

    MqttClientBuilder builder() {
        TetherMqttProperties p = properties;
        MqttClientBuilder builder = MqttClient.newBuilder();
        if (p.servers() != null && !p.servers().isEmpty()) {
            builder.servers(p.servers().toArray(String[]::new));
        } else if (p.uri() != null && !p.uri().isBlank()) {
            builder.serverUri(p.uri());
        } else {
            builder.host(p.host());
            if (p.port() != null) {
                builder.port(p.port());
            }
        }
        if (p.tls().bundle() != null && !p.tls().bundle().isBlank()) {
            if (sslBundles == null) {
                throw new IllegalStateException("tether.mqtt.tls.bundle is '" + p.tls().bundle()
                        + "' but the application has no SslBundles bean (Spring Boot's SslAutoConfiguration)");
            }
            builder.tls(sslBundles.getBundle(p.tls().bundle()).createSslContext());
        } else if (p.tls().enabled()) {
            builder.tls();
        }
        builder.identifier(p.identifier()).protocol(p.protocol());
        if (p.username() != null || p.password() != null) {
            builder.credentials(p.username() == null ? "" : p.username(),
                    p.password() == null ? new char[0] : p.password().toCharArray());
        }
        if (p.keepAlive() != null) {
            builder.keepAlive(p.keepAlive());
        }
        if (p.cleanStart() != null) {
            builder.cleanStart(p.cleanStart());
        }
        if (p.sessionExpiry() != null) {
            builder.sessionExpiry(p.sessionExpiry());
        }
        if (p.connectTimeout() != null) {
            builder.connectTimeout(p.connectTimeout());
        }
        if (p.operationTimeout() != null) {
            builder.operationTimeout(p.operationTimeout());
        }
        if (p.closeTimeout() != null) {
            builder.closeTimeout(p.closeTimeout());
        }
        if (p.maxQueuedIncoming() != null) {
            builder.maxQueuedIncoming(p.maxQueuedIncoming());
        }
        if (p.maxQueuedOutgoing() != null) {
            builder.maxQueuedOutgoing(p.maxQueuedOutgoing());
        }
        TetherMqttProperties.Will will = p.will();
        if (will != null && will.topic() != null && !will.topic().isBlank()) {
            builder.will(MqttMessage.newBuilder(will.topic()).payload(will.payload()).qos(Qos.of(will.qos()))
                    .retain(will.retain()).build());
            if (will.delay() != null) {
                builder.willDelay(will.delay());
            }
        }
        TetherMqttProperties.Reconnect reconnect = p.reconnect();
        if (reconnect.enabled() && reconnect.initialDelay() == null && reconnect.maxDelay() == null) {
            builder.reconnect(Backoff.defaults());
        } else if (reconnect.enabled()) {
            builder.reconnect(Backoff.exponential(
                    reconnect.initialDelay() == null ? Duration.ofMillis(100) : reconnect.initialDelay(),
                    reconnect.maxDelay() == null ? Duration.ofSeconds(30) : reconnect.maxDelay()));
        } else {
            builder.reconnect(false);
        }
        builder.manualAcknowledgement(p.listener().ackMode() == TetherMqttProperties.AckMode.AFTER_METHOD);
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder;
    }

    /**
     * Connects. A failure names the broker (never the password) and keeps the reason code, so that
     * start-up stops with a message that says where and why.
     */
    MqttClient connect() throws MqttException {
        MqttClientBuilder builder = builder();
        try {
            return builder.connect();
        } catch (MqttException e) {
            throw new MqttStartupConnectException(builder.toString(), e);
        }
    }
}
