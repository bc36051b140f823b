package dev.tether.spring;

import dev.tether.mqtt.MqttClientBuilder;

/**
 * Changes the builder of the shared {@link dev.tether.mqtt.MqttClient} after the
 * {@code tether.mqtt.*} properties were applied and before it connects, so what a customizer sets
 * wins over the properties. Every customizer bean runs, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * MqttClientBuilderCustomizer sessionStore() {
 *     return builder -> builder.sessionStore(SessionStore.file(Path.of("/var/lib/orders/mqtt")));
 * }
 * }</pre>
 *
 * <p>An application that declares its own {@code MqttClient} bean gets neither the properties nor
 * the customizers: its bean is used as it is.
 */
@FunctionalInterface
public interface MqttClientBuilderCustomizer {

    /**
     * Changes the builder.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(MqttClientBuilder builder);
}
