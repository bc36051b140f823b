package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.ServerSelection;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.connection.MqttConnection;
import dev.tether.mqtt.internal.connection.Traffic;
import dev.tether.mqtt.internal.transport.Endpoint;
import dev.tether.mqtt.internal.transport.TransportOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens connections for a client: the servers it may use and in which order, the CONNECT it
 * sends first and the one it sends to resume its session, and a server the broker referred it
 * to. Holds no connection itself.
 */
final class Connector {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.connection");

    /** A connection the broker accepted, and which server it is. */
    record Accepted(MqttConnection.Opened opened, Endpoint server) {
    }

    private final List<Endpoint> servers;
    private final TransportOptions transport;
    private final ServerSelection selection;
    private final boolean followServerReference;
    private final Connect first;
    private final int maximumPacketSize;
    private final Duration connectTimeout;
    private final Traffic traffic;
    private volatile Endpoint referred;
    /** The server of the latest accepted connection: a reference in its DISCONNECT is read against it. */
    private volatile Endpoint current;

    Connector(List<Endpoint> servers, TransportOptions transport, ServerSelection selection, boolean followServerReference, Connect first,
              int maximumPacketSize, Duration connectTimeout, Traffic traffic) {
        this.servers = List.copyOf(servers);
        this.transport = transport;
        this.selection = selection;
        this.followServerReference = followServerReference;
        this.first = first;
        this.maximumPacketSize = maximumPacketSize;
        this.connectTimeout = connectTimeout;
        this.traffic = traffic;
    }

    /**
     * Tries every server once, in the configured order, with the CONNECT as configured.
     *
     * @throws MqttException the last server's refusal or error, the others' attached as suppressed
     */
    Accepted connectFirst() throws MqttException {
        List<Endpoint> order = new ArrayList<>(servers);
        if (selection == ServerSelection.RANDOM) {
            Collections.shuffle(order);
        }
        MqttException failure = null;
        for (int i = 0; i < order.size(); i++) {
            Endpoint server = order.get(i);
            try {
                return accepted(MqttConnection.open(server, transport, first, maximumPacketSize, connectTimeout, traffic), server);
            } catch (MqttException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                Endpoint reference = referenceOf(e, server);
                if (reference != null && !order.subList(i + 1, order.size()).contains(reference)) {
                    order.add(i + 1, reference);
                }
            }
        }
        throw failure;
    }

    /**
     * Connects to {@code server} to resume the session: Clean Start off and the session expiry as
     * configured, so the broker keeps the session [MQTT-3.1.2-5], under the identifier the
     * session has (the broker's assigned one if it assigned one).
     */
    Accepted reconnect(Endpoint server, String clientIdentifier) throws MqttException {
        Connect connect = new Connect(first.version(), clientIdentifier, false, first.keepAliveSeconds(), first.properties(),
                first.will(), first.username(), first.password());
        try {
            return accepted(MqttConnection.open(server, transport, connect, maximumPacketSize, connectTimeout, traffic), server);
        } catch (MqttException e) {
            Endpoint reference = referenceOf(e, server);
            if (reference != null) {
                referred = reference;
            }
            throw e;
        }
    }

    private Accepted accepted(MqttConnection.Opened opened, Endpoint server) {
        current = server;
        return new Accepted(opened, server);
    }

    /** The server for an attempt to reconnect: one the broker referred to, else by the configured order. */
    Endpoint next(int attempt) {
        Endpoint reference = referred;
        if (reference != null) {
            referred = null;
            return reference;
        }
        if (selection == ServerSelection.RANDOM) {
            return servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        }
        return servers.get((attempt - 1) % servers.size());
    }

    /** A lost connection may carry a Server Reference in the broker's DISCONNECT. */
    void lost(MqttException cause) {
        Endpoint reference = current == null ? null : referenceOf(cause, current);
        if (reference != null) {
            referred = reference;
        }
    }

    /**
     * The server a refusal or DISCONNECT from {@code from} refers to, if following references is
     * allowed, the reason code is one that refers (0x9C, 0x9D; MQTT 5, 4.11) and it parses. A
     * reference without a scheme is reached the way {@code from} was (so TLS stays TLS); one that
     * would drop the TLS {@code from} had is not followed.
     */
    private Endpoint referenceOf(MqttException e, Endpoint from) {
        String reference = e.serverReference();
        if (reference == null || reference.isBlank()
                || e.reasonCode() != ReasonCode.USE_ANOTHER_SERVER && e.reasonCode() != ReasonCode.SERVER_MOVED) {
            return null;
        }
        if (!followServerReference) {
            LOG.log(System.Logger.Level.INFO, "the broker refers to server {0}; not followed, followServerReference is off",
                    reference);
            return null;
        }
        String firstReference = reference.trim().split("\\s+")[0];
        try {
            Endpoint target = Endpoint.parse(firstReference.contains("://") ? firstReference : switch (from.scheme()) {
                case TLS -> "mqtts://" + firstReference;
                case WS -> "ws://" + firstReference + from.path();
                case WSS -> "wss://" + firstReference + from.path();
                case TCP, UNIX -> "mqtt://" + firstReference;
            });
            if (from.scheme().secure() && !target.scheme().secure()) {
                LOG.log(System.Logger.Level.WARNING, "the broker refers to server {0} without TLS; not followed", reference);
                return null;
            }
            return target;
        } catch (IllegalArgumentException invalid) {
            LOG.log(System.Logger.Level.WARNING, "the broker refers to server \"{0}\", which is not a server address: {1}",
                    reference, invalid.getMessage());
            return null;
        }
    }
}
