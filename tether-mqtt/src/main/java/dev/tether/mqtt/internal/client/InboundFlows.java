package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Puback;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Unsuback;
import dev.tether.mqtt.internal.session.InboundFlow;
import dev.tether.mqtt.internal.session.StateStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the broker sends, handled on the links' reader threads: every packet is dispatched here.
 * An incoming PUBLISH gets its topic alias resolved, becomes an {@link MqttMessage} and is routed;
 * its PUBACK or PUBREC goes out, in arrival order, once the application has it. Keeps the
 * exactly-once state of incoming QoS 2 messages until the broker's PUBREL. The answers to the
 * client's own requests go on to {@link OutboundFlows}.
 */
final class InboundFlows {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");

    private final ClientSession session;
    private final ClientOptions options;
    private final boolean v5;
    private final StateStore store;
    private final OutboundFlows outbound;
    private final Replies replies;
    private final MessageRouter router;
    private final ApiAccess api = ApiAccess.api();
    /** Incoming QoS 2 messages delivered, by packet identifier, until the broker's PUBREL: session state. */
    private final Map<Integer, InboundFlow> exactlyOnceReceived = new ConcurrentHashMap<>();

    InboundFlows(ClientSession session, ClientOptions options, StateStore store, OutboundFlows outbound, Replies replies,
                 MessageRouter router) {
        this.session = session;
        this.options = options;
        this.v5 = options.protocol() == ProtocolVersion.V5;
        this.store = store;
        this.outbound = outbound;
        this.replies = replies;
        this.router = router;
    }

    /** Takes back the incoming QoS 2 messages a durable store kept from an earlier run. */
    void recover(Set<Integer> packetIds) {
        for (Integer packetId : packetIds) {
            exactlyOnceReceived.put(packetId, InboundFlow.recovered(packetId));
        }
    }

    /** A new session: the broker forgot the incoming QoS 2 messages, so their identifiers mean new messages now. */
    void forgetIncomingState() {
        for (Integer packetId : List.copyOf(exactlyOnceReceived.keySet())) {
            exactlyOnceReceived.remove(packetId);
            try {
                store.incomingReleased(packetId);
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.WARNING, "session store: {0}", e.getMessage());
            }
        }
    }

    /** Handles a packet read from {@code from}; on the link's reader thread. */
    void received(Packet packet, Link from) throws MqttException, InterruptedException {
        switch (packet) {
            case Publish publish -> receivePublish(publish, from);
            case Pubrel pubrel -> {
                boolean known = exactlyOnceReceived.remove(pubrel.packetId()) != null;
                if (known) {
                    store.incomingReleased(pubrel.packetId());
                }
                from.unanswered.remove(pubrel.packetId());
                from.send(known || !v5 ? new Pubcomp(pubrel.packetId())
                        : new Pubcomp(pubrel.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), false);
            }
            case Puback puback -> outbound.answer(puback, puback.packetId(), from);
            case Pubrec pubrec -> outbound.answer(pubrec, pubrec.packetId(), from);
            case Pubcomp pubcomp -> outbound.answer(pubcomp, pubcomp.packetId(), from);
            case Suback suback -> outbound.answer(suback, suback.packetId(), from);
            case Unsuback unsuback -> outbound.answer(unsuback, unsuback.packetId(), from);
            default -> throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "a client does not expect " + packet.type() + " from the broker");
        }
    }

    private void receivePublish(Publish publish, Link from) throws MqttException, InterruptedException {
        if (publish.qos() != Qos.AT_MOST_ONCE) {
            countUnanswered(publish, from);
        }
        String topic = resolveAlias(publish, from);
        if (publish.qos() == Qos.EXACTLY_ONCE) {
            InboundFlow earlier = exactlyOnceReceived.get(publish.packetId());
            if (earlier != null) {
                // Already delivered, PUBREL not yet here: deliver it only once [MQTT-4.3.3-10]. If the
                // application has the first copy, PUBREC goes now; otherwise it follows when it takes it.
                if (earlier.isDone()) {
                    from.send(new Pubrec(publish.packetId()), false);
                    earlier.acknowledged();
                }
                return;
            }
        }
        MqttMessage message;
        try {
            message = Messages.toMessage(publish, topic);
        } catch (IllegalArgumentException e) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "PUBLISH to '" + topic + "': " + e.getMessage());
        }
        InboundFlow flow = publish.qos() == Qos.AT_MOST_ONCE ? null
                : from.acknowledgements.start(publish.packetId(), publish.qos() == Qos.EXACTLY_ONCE);
        if (flow != null && flow.exactlyOnce()) {
            exactlyOnceReceived.put(publish.packetId(), flow);
        }
        if (flow != null && options.manualAcknowledgement()) {
            message = api.withAcknowledgement(message, flow::applicationAcknowledged);
        }
        if (replies.complete(message)) {
            if (flow != null) {
                flow.routed(); // the reply is handed to its request: the application has it
            }
            return;
        }
        try {
            router.route(message, flow);
        } finally {
            if (flow != null) {
                flow.routed();
            }
        }
    }

    /**
     * A broker may leave at most the client's Receive Maximum of QoS 1/2 PUBLISHes unanswered by
     * PUBACK or PUBCOMP [MQTT-3.3.4-9]; one more is a protocol error, DISCONNECT 0x93. A message
     * the application has not taken yet is not acknowledged yet, and counts, as the broker counts
     * it too. A QoS 2 copy sent again before its PUBREL is the same message, counted once.
     */
    private void countUnanswered(Publish publish, Link from) throws MqttProtocolException {
        int receiveMaximum = options.receiveMaximum();
        if (from.unanswered.add(publish.packetId()) && receiveMaximum != 0 && from.unanswered.size() > receiveMaximum) {
            throw new MqttProtocolException(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "broker " + from.server + " sent QoS "
                    + publish.qos().code() + " PUBLISH " + publish.packetId() + " while " + receiveMaximum + " QoS 1/2"
                    + " PUBLISHes await PUBACK or PUBCOMP, as many as the client's Receive Maximum of " + receiveMaximum
                    + " allows [MQTT-3.3.4-9]");
        }
    }

    private String resolveAlias(Publish publish, Link from) throws MqttProtocolException {
        long alias = publish.properties().integer(Property.TOPIC_ALIAS, 0);
        if (alias == 0) {
            return publish.topic();
        }
        if (alias > options.topicAliasMaximum()) { // [MQTT-3.3.2-9]
            throw new MqttProtocolException(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias
                    + " exceeds the client's topic alias maximum of " + options.topicAliasMaximum());
        }
        if (!publish.topic().isEmpty()) {
            from.inboundAliases.put((int) alias, publish.topic());
            return publish.topic();
        }
        String topic = from.inboundAliases.get((int) alias);
        if (topic == null) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
        }
        return topic;
    }

    /**
     * Sends the PUBACK or PUBREC of a message the application now has [MQTT-4.3.2-4, MQTT-4.3.3-8],
     * in the order the messages came on {@code from}. A QoS 1 message that came on a link since
     * replaced is not acknowledged: the resumed session sends it again. A QoS 2 one is, on the
     * current link, after its identifier is stored: the broker waits for that PUBREC.
     */
    void acknowledge(InboundFlow flow, Link from) {
        Link current = session.link();
        try {
            if (flow.exactlyOnce()) {
                if (exactlyOnceReceived.get(flow.packetId()) != flow) {
                    return; // a new session began since: the identifier means another message now
                }
                store.incomingReceived(flow.packetId());
                if (current != null) {
                    current.send(new Pubrec(flow.packetId()), false);
                    flow.acknowledged();
                }
            } else if (current == from) {
                from.unanswered.remove(flow.packetId());
                from.send(new Puback(flow.packetId()), false);
                flow.acknowledged();
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "acknowledgement of packet {0} not sent: {1}", flow.packetId(), e.getMessage());
        }
    }
}
