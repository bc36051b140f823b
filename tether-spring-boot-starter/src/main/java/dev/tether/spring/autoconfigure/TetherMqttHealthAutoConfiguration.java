package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code mqtt} health indicator ({@link MqttHealthIndicator}) when Spring Boot's health
 * support is on the class path; {@code management.health.mqtt.enabled=false} turns it off.
 *
 * <pre>{@code
 * management.endpoint.health.show-details=always
 * GET /actuator/health/mqtt   ->   {"status":"UP","details":{"state":"CONNECTED","server":"mqtt://broker:1883"}}
 * }</pre>
 */
@AutoConfiguration(after = TetherMqttAutoConfiguration.class)
@ConditionalOnClass({MqttClient.class, HealthIndicator.class})
@ConditionalOnEnabledHealthIndicator("mqtt")
public final class TetherMqttHealthAutoConfiguration {

    /** Created by Spring Boot. */
    public TetherMqttHealthAutoConfiguration() {
    }

    /**
     * The health of the shared client's connection.
     *
     * @param client the shared client
     * @return the indicator, named {@code mqtt}
     */
    @Bean
    @ConditionalOnSingleCandidate(MqttClient.class)
    @ConditionalOnMissingBean(name = "mqttHealthIndicator")
    public MqttHealthIndicator mqttHealthIndicator(MqttClient client) {
        return new MqttHealthIndicator(client);
    }
}
