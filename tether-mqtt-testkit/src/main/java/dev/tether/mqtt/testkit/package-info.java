/**
 * Real MQTT brokers for tests: an embedded HiveMQ CE (pure Java, nothing to install) and a
 * Mosquitto process started from a generated configuration, each on a free loopback port; and
 * {@link dev.tether.mqtt.testkit.FaultProxy}, a TCP proxy that puts network faults between a client
 * and a broker.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrokerExtension broker = BrokerExtension.mosquitto();
 *
 * @Test
 * void connects() throws IOException {
 *     try (Socket socket = new Socket(broker.host(), broker.port())) { ... }
 * }
 * }</pre>
 */
package dev.tether.mqtt.testkit;
