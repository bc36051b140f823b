package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.spring.MqttClientBuilderCustomizer;
import dev.tether.spring.MqttListenerErrorHandler;
import dev.tether.spring.MqttPayloadConverter;
import dev.tether.spring.MqttTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures one shared {@link MqttClient} from the {@code tether.mqtt.*} properties
 * ({@link TetherMqttProperties}), the {@link MqttTemplate}, and the
 * {@link dev.tether.spring.MqttListener} methods.
 *
 * <p>The lifecycle, the analog of a FastAPI {@code lifespan}:
 * <ol>
 * <li>The {@code mqttClient} bean connects when it is created, during the context refresh, so every
 *     bean that injects it gets a connected client, and the web server (which starts in the
 *     lifecycle phase {@code Integer.MAX_VALUE - 2048}) takes no request before the client is
 *     connected. If the broker cannot be reached or refuses, start-up fails with the reason
 *     ({@link MqttConnectFailureAnalyzer}).
 * <li>Listeners subscribe last (phase {@link MqttListenerContainer#PHASE}).
 * <li>At shutdown, listeners stop first; then the web server drains its requests gracefully, and
 *     they may still publish; then the client closes (phase {@code Integer.MAX_VALUE - 4096}),
 *     waiting for QoS 1/2 publishes in flight, all within
 *     {@code spring.lifecycle.timeout-per-shutdown-phase}.
 * </ol>
 *
 * <p>An application's own {@code MqttClient} bean replaces the auto-configured one (it is still
 * closed in the late phase and used by listeners, health and metrics); an
 * {@link MqttClientBuilderCustomizer} bean changes the builder after the properties.
 *
 * <pre>{@code
 * @RestController
 * class Humidity {
 *     private final MqttClient mqtt;
 *     Humidity(MqttClient mqtt) { this.mqtt = mqtt; }
 *
 *     @PostMapping("/humidity")
 *     void publish(@RequestBody String value) throws MqttException {
 *         mqtt.publish("humidity/outside", value, Qos.AT_LEAST_ONCE);
 *     }
 * }
 * }</pre>
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnClass(MqttClient.class)
@EnableConfigurationProperties(TetherMqttProperties.class)
public final class TetherMqttAutoConfiguration {

    /** Created by Spring Boot. */
    public TetherMqttAutoConfiguration() {
    }

    /**
     * The shared client, connected.
     *
     * @param properties the {@code tether.mqtt.*} properties
     * @param sslBundles the SSL bundles, for {@code tether.mqtt.tls.bundle}
     * @param customizers the builder customizers, in order
     * @return the connected client
     * @throws MqttException if it could not connect; start-up fails
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MqttClient mqttClient(TetherMqttProperties properties, ObjectProvider<SslBundles> sslBundles,
                                 ObjectProvider<MqttClientBuilderCustomizer> customizers) throws MqttException {
        return new MqttClientFactory(properties, sslBundles.getIfAvailable(), customizers.orderedStream().toList()).connect();
    }

    @Bean
    @ConditionalOnSingleCandidate(MqttClient.class)
    MqttClientLifecycle mqttClientLifecycle(MqttClient client) {
        return new MqttClientLifecycle(client);
    }

    /** The converter with JSON, when Jackson 3 is there; declared before the plain one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
    static class JacksonConverterConfiguration {
        @Bean
        @ConditionalOnMissingBean
        MqttPayloadConverter mqttPayloadConverter(ObjectProvider<JsonMapper> mapper) {
            return new JacksonPayloadConverter(mapper.getIfAvailable(JsonMapper::new));
        }
    }

    /** The converter without Jackson: strings, bytes, numbers and booleans. */
    @Configuration(proxyBeanMethods = false)
    static class PlainConverterConfiguration {
        @Bean
        @ConditionalOnMissingBean
        MqttPayloadConverter mqttPayloadConverter() {
            return new PlainPayloadConverter();
        }
    }

    /**
     * Publishes objects with the shared client.
     *
     * @param client the client
     * @param converter the payload converter
     * @return the template
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(MqttClient.class)
    public MqttTemplate mqttTemplate(MqttClient client, MqttPayloadConverter converter) {
        return new MqttTemplate(client, converter);
    }

    /**
     * The default listener error handler: logs (the starter's metrics count).
     *
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public MqttListenerErrorHandler mqttListenerErrorHandler() {
        return new LoggingListenerErrorHandler();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static MqttListenerProcessor mqttListenerProcessor() {
        return new MqttListenerProcessor();
    }

    /**
     * Runs the listener methods.
     *
     * @param client the shared client
     * @param processor where the listener methods were found
     * @param converter the payload converter
     * @param errorHandler where listener failures go
     * @param properties the properties
     * @return the container
     */
    @Bean
    public MqttListenerContainer mqttListenerContainer(MqttClient client, MqttListenerProcessor processor,
                                                      MqttPayloadConverter converter, MqttListenerErrorHandler errorHandler,
                                                      TetherMqttProperties properties) {
        return new MqttListenerContainer(client, processor::endpoints, converter, errorHandler,
                properties.listener().autoStartup());
    }
}
