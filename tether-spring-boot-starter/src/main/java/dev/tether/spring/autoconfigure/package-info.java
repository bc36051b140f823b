/**
 * The auto-configuration of the shared client: {@code TetherMqttAutoConfiguration} builds and
 * connects one {@link dev.tether.mqtt.MqttClient} bean from {@code tether.mqtt.*}, closes it late in
 * shutdown, runs the {@link dev.tether.spring.MqttListener} methods, and adds health and metrics
 * when Actuator and Micrometer are there.
 */
package dev.tether.spring.autoconfigure;
