package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code mqtt} health of Spring Boot Actuator: UP while the shared client is connected; DOWN
 * while it reconnects or once it is closed, with the cause of the last lost connection as the
 * error and the attempt it is at.
 *
 * <pre>{@code
 * GET /actuator/health/mqtt
 * {"status":"DOWN","details":{"state":"RECONNECTING","attempt":3,
 *   "error":"dev.tether.mqtt.MqttException: connection lost: Connection reset"}}
 * }</pre>
 *
 * <p>Off with {@code management.health.mqtt.enabled=false}.
 */
public final class MqttHealthIndicator extends AbstractHealthIndicator {

    private final MqttClient client;
    private volatile MqttException lastLoss;
    private volatile int attempt;
    private volatile String server;

    /**
     * Watches the client's connection events from now on.
     *
     * @param client the shared client
     */
    public MqttHealthIndicator(MqttClient client) {
        super("MQTT health check failed");
        this.client = client;
        client.addConnectionListener(this::record);
    }

    private void record(ConnectionEvent event) {
        switch (event) {
            case ConnectionEvent.Lost lost -> lastLoss = lost.cause();
            case ConnectionEvent.Reconnecting reconnecting -> attempt = reconnecting.attempt();
            case ConnectionEvent.Connected connected -> {
                server = connected.server();
                attempt = 0;
            }
            case ConnectionEvent.Closed closed -> {
                if (closed.cause() != null) {
                    lastLoss = closed.cause();
                }
            }
        }
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ConnectionState state = client.state();
        builder.withDetail("state", state.name());
        if (server != null) {
            builder.withDetail("server", server);
        }
        if (state == ConnectionState.CONNECTED) {
            builder.up();
            return;
        }
        builder.down();
        if (state == ConnectionState.RECONNECTING && attempt > 0) {
            builder.withDetail("attempt", attempt);
        }
        MqttException cause = lastLoss;
        if (cause != null) {
            // A detail, not withException(): that would log the stack trace at every health check of an outage.
            builder.withDetail("error", cause.getClass().getName() + ": " + cause.getMessage());
        }
    }
}
