package dev.tether.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a client's connection, in the order it happened.
 *
 * <pre>{@code
 * client.addConnectionListener(event -> {
 *     switch (event) {
 *         case ConnectionEvent.Connected c -> log.info("connected to {}, session present: {}",
 *                 c.server(), c.result().sessionPresent());
 *         case ConnectionEvent.Lost l -> log.warn("connection lost: {}", l.cause().getMessage());
 *         case ConnectionEvent.Reconnecting r -> log.info("attempt {} in {}", r.attempt(), r.delay());
 *         case ConnectionEvent.Closed c -> log.info("closed");
 *     }
 * });
 * }</pre>
 */
public sealed interface ConnectionEvent {

    /**
     * A broker accepted the connection: the first one, or again after a loss.
     *
     * @param server        the URI of the server that accepted
     * @param result        what its CONNACK said; {@link ConnectResult#sessionPresent()} tells whether
     *                      the session was resumed or is new
     * @param reconnect     whether this follows a lost connection
     * @param resubscribed  the filters the client subscribed again itself because the broker
     *                      started a new session; empty when the session was resumed
     */
    record Connected(String server, ConnectResult result, boolean reconnect, List<TopicFilter> resubscribed)
            implements ConnectionEvent {

        /** Validates and copies. */
        public Connected {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(result, "result");
            resubscribed = List.copyOf(resubscribed);
        }
    }

    /**
     * The connection ended without the application closing the client.
     *
     * <pre>{@code
     * case ConnectionEvent.Lost l when l.serverReference() != null ->
     *         log.info("the broker sent us to {} ({})", l.serverReference(), l.reasonCode());
     * }</pre>
     *
     * @param cause why: the broker's DISCONNECT, a network error, a keep-alive timeout...
     */
    record Lost(MqttException cause) implements ConnectionEvent {

        /** Validates. */
        public Lost {
            Objects.requireNonNull(cause, "cause");
        }

        /**
         * Why, as MQTT says: the reason code of the broker's DISCONNECT, such as
         * {@link ReasonCode#SERVER_MOVED}, or the client's own for a network error or timeout.
         *
         * @return the cause's reason code
         */
        public ReasonCode reasonCode() {
            return cause.reasonCode();
        }

        /**
         * The server the broker's DISCONNECT referred the client to (Use another server, Server
         * moved), which the next reconnect attempt goes to when
         * {@link MqttClientBuilder#followServerReference(boolean)} is on.
         *
         * @return the Server Reference as the broker sent it, or null
         */
        public String serverReference() {
            return cause.serverReference();
        }

        /**
         * The reason string of the broker's DISCONNECT.
         *
         * @return the MQTT 5 Reason String, or null when the broker sent none or did not disconnect
         */
        public String reasonString() {
            return cause instanceof MqttDisconnectException disconnect ? disconnect.reasonString() : null;
        }

        /**
         * The user properties of the broker's DISCONNECT.
         *
         * <pre>{@code
         * case ConnectionEvent.Lost l -> l.userProperties().forEach(p -> log.info("{}={}", p.name(), p.value()));
         * }</pre>
         *
         * @return the MQTT 5 user properties, in order; empty when there were none or the broker did not disconnect
         */
        public List<UserProperty> userProperties() {
            return cause instanceof MqttDisconnectException disconnect ? disconnect.userProperties() : List.of();
        }
    }

    /**
     * The client is about to try to connect again, after a wait.
     *
     * @param attempt 1 for the first attempt after a loss, then 2, 3...
     * @param delay   how long it waits before the attempt
     * @param server  the URI of the server it will try
     */
    record Reconnecting(int attempt, Duration delay, String server) implements ConnectionEvent {

        /** Validates. */
        public Reconnecting {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(server, "server");
        }
    }

    /**
     * The client is closed: by the application, or because the connection was lost and reconnecting is off.
     *
     * @param cause why it closed without the application asking, or {@code null} when the application closed it
     */
    record Closed(MqttException cause) implements ConnectionEvent {
    }
}
