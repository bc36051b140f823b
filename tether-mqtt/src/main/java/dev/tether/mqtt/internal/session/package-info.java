/**
 * The state of an MQTT session on the client side: packet identifiers, bounded message streams,
 * and the in-order acknowledgement of incoming QoS 1 and 2 messages once the application has
 * them. Internal: no compatibility promise.
 */
package dev.tether.mqtt.internal.session;
