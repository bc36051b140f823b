package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttConnectException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that failed because the shared MQTT client could not connect, in place of
 * the bean creation stack trace:
 *
 * <pre>{@code
 * Description:
 * The MQTT client could not connect at start-up: could not connect to the MQTT broker
 * (MqttClientBuilder[mqtt://localhost:1883, ...]): the broker refused the connection: Bad user name or password (0x86)
 *
 * Action:
 * Check tether.mqtt.uri (or host and port), the credentials and TLS settings, and that the broker is running.
 * }</pre>
 */
public final class MqttConnectFailureAnalyzer extends AbstractFailureAnalyzer<MqttStartupConnectException> {

    /** Created by Spring Boot from {@code META-INF/spring.factories}. */
    public MqttConnectFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MqttStartupConnectException cause) {
        boolean refused = cause.getCause() instanceof MqttConnectException;
        return new FailureAnalysis("The MQTT client could not connect at start-up: " + cause.getMessage()
                + " (reason code " + cause.reasonCode() + ")",
                refused ? "Check the credentials (tether.mqtt.username, tether.mqtt.password), the client identifier"
                        + " and what the broker allows this client."
                        : "Check tether.mqtt.uri (or tether.mqtt.host and tether.mqtt.port), the TLS settings, and that"
                        + " the broker is running and reachable.",
                cause);
    }
}
