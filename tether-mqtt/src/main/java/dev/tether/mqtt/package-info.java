/**
 * Tether's public API: an MQTT 3.1.1 and 5.0 client whose one shared connection is opened by
 * try-with-resources.
 *
 * <pre>{@code
 * try (MqttClient client = MqttClient.connect("localhost")) {
 *     client.publish("humidity/outside", 0.38);
 * }
 * }</pre>
 *
 * <p>Everything outside this package is internal and carries no compatibility promise.
 */
package dev.tether.mqtt;
