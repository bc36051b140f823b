package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttClient;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Adds the Micrometer meters of the shared client and its listeners ({@link MqttMetrics}) when
 * Micrometer is on the class path; Spring Boot binds them to every registry.
 *
 * <pre>{@code
 * GET /actuator/metrics/mqtt.client.messages.sent
 * }</pre>
 */
@AutoConfiguration(after = TetherMqttAutoConfiguration.class)
@ConditionalOnClass({MqttClient.class, MeterBinder.class})
public final class TetherMqttMetricsAutoConfiguration {

    /** Created by Spring Boot. */
    public TetherMqttMetricsAutoConfiguration() {
    }

    /**
     * The meters.
     *
     * @param client the shared client
     * @param listeners the listener container, if any
     * @return the binder
     */
    @Bean
    @ConditionalOnSingleCandidate(MqttClient.class)
    @ConditionalOnMissingBean
    public MqttMetrics mqttMetrics(MqttClient client, ObjectProvider<MqttListenerContainer> listeners) {
        return new MqttMetrics(client, listeners.getIfAvailable());
    }
}
