/**
 * One MQTT connection: the socket, one reader virtual thread that only decodes and hands packets
 * on, writes under a lock, and keep-alive. Internal: no compatibility promise.
 */
package dev.tether.mqtt.internal.connection;
