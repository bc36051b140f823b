package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.ConnectResult;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.connection.MqttConnection;
import dev.tether.mqtt.internal.connection.PacketListener;
import dev.tether.mqtt.internal.session.InboundAcknowledgements;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One network connection of a client's session, and the state that lives exactly as long as it:
 * topic aliases in both directions, the broker's limits from its CONNACK, and the queue of
 * acknowledgements owed on it. The session outlives its links; each link has an epoch number, so a
 * late packet read from a link already replaced is recognised as such.
 */
final class Link implements PacketListener {

    final MqttConnection connection;
    final ConnectResult result;
    final int epoch;
    final String server;
    final InboundAcknowledgements acknowledgements;
    /**
     * The packet identifiers of the QoS 1/2 PUBLISHes received on this link and not yet answered
     * with PUBACK or PUBCOMP: what the client's Receive Maximum bounds [MQTT-3.3.4-9]. Added to
     * by the reader; an identifier leaves just before its answer is written, so the broker cannot
     * see the answer, send the next message, and have it counted against the old one.
     */
    final Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
    /** Incoming topic aliases; only the link's reader thread touches them. */
    final Map<Integer, String> inboundAliases = new HashMap<>();
    private final TopicAliases outboundAliases;
    private final ClientSession session;
    private final InboundFlows inbound;
    /** Made once, not per PUBLISH: a method reference is a new object each time it is taken. */
    private final UnaryOperator<Packet> aliasing;
    private final Predicate<Packet> fits;

    Link(MqttConnection connection, ConnectResult result, int epoch, String server, ClientSession session,
         InboundFlows inbound) {
        this.connection = connection;
        this.result = result;
        this.epoch = epoch;
        this.server = server;
        this.session = session;
        this.inbound = inbound;
        this.outboundAliases = new TopicAliases(result.topicAliasMaximum());
        this.acknowledgements = new InboundAcknowledgements(flow -> inbound.acknowledge(flow, this));
        this.aliasing = this::withAlias;
        this.fits = connection::fits;
    }

    /** Sends a packet; a PUBLISH gets a topic alias under the write lock when one helps. */
    void send(Packet packet, boolean isPublish) throws MqttException {
        connection.send(packet, isPublish && outboundAliases.enabled() ? aliasing : null);
    }

    private Packet withAlias(Packet packet) {
        return outboundAliases.apply(packet, fits);
    }

    @Override
    public void received(Packet packet) throws MqttException, InterruptedException {
        inbound.received(packet, this);
    }

    @Override
    public void closed(MqttException cause) {
        session.linkClosed(this, cause);
    }
}
