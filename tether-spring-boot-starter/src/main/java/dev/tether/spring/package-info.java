/**
 * What a Spring application writes against: {@link dev.tether.spring.MqttListener} methods, the
 * {@link dev.tether.spring.MqttTemplate} for publishing objects, and the hooks that change the
 * shared client ({@link dev.tether.spring.MqttClientBuilderCustomizer}), listener errors
 * ({@link dev.tether.spring.MqttListenerErrorHandler}) and payload conversion
 * ({@link dev.tether.spring.MqttPayloadConverter}). The auto-configuration that wires them lives
 * in {@code dev.tether.spring.autoconfigure}.
 */
package dev.tether.spring;
