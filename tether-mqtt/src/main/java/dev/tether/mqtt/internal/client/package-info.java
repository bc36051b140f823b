/**
 * The engine: one client's protocol logic across all its connections — outgoing and incoming
 * flows, subscriptions and the routing of messages to their streams, reconnecting and resuming
 * the session. The public API in {@code dev.tether.mqtt} reaches it through one seam:
 * {@link dev.tether.mqtt.internal.client.ClientSession}, which every call of {@code MqttClient}
 * and {@code Subscription} goes to (the builder fills the four {@code *Options} holders and hands
 * them to {@code ClientSession.connect}), and {@link dev.tether.mqtt.internal.client.ApiAccess},
 * the way back to the public types' package-private members. Everything else here is
 * package-private. Internal: no compatibility promise.
 */
package dev.tether.mqtt.internal.client;
