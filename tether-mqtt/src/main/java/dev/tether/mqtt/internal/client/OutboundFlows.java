package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.QueueFullPolicy;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.client.OutboundFlow.State;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.Unsuback;
import dev.tether.mqtt.internal.codec.Unsubscribe;
import dev.tether.mqtt.internal.session.LatencyHistogram;
import dev.tether.mqtt.internal.session.PacketIdentifiers;
import dev.tether.mqtt.internal.session.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;

/**
 * Every outgoing flow that waits for an answer from the broker, across connections: QoS 1/2
 * publishes in the order they were published, and SUBSCRIBE/UNSUBSCRIBE. It bounds how many
 * publishes wait ({@code maxQueued}, with the user's {@link QueueFullPolicy}), keeps at most the
 * broker's Receive Maximum of them in flight on the current link [MQTT-4.9.0-2], and when a new
 * link resumes the session sends again, in their original order, every PUBLISH not acknowledged
 * (with DUP set) and every PUBREL [MQTT-4.4.0-1]. An acknowledged flow is forgotten at once and so
 * is never sent again.
 *
 * <p>All state is guarded by one lock, a {@link FlowLock}, held while sending so that the order on
 * the wire is the order of the queue; lock order: this lock, then the connection's write lock.
 */
final class OutboundFlows {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");

    private final FlowLock lock = new FlowLock();
    private final Condition changed = lock.newCondition();
    /** Unfinished QoS 0/1/2 publishes by sequence: the order of resending. */
    private final TreeMap<Long, OutboundFlow> publishes = new TreeMap<>();
    /** Publishes waiting to go out on the current link. */
    private final TreeMap<Long, OutboundFlow> queued = new TreeMap<>();
    /** SUBSCRIBE and UNSUBSCRIBE waiting for a link. */
    private final TreeMap<Long, OutboundFlow> controlsQueued = new TreeMap<>();
    private final Map<Integer, OutboundFlow> byId = new HashMap<>();
    private final PacketIdentifiers packetIds = new PacketIdentifiers();
    private final StateStore store;
    private final int maxQueued;
    private final QueueFullPolicy policy;
    private final int maxInFlight;
    private final LatencyHistogram latency = new LatencyHistogram();
    private long nextSequence;
    private Link link;
    /** The newest link attached or detached: an older one attached late (it died meanwhile) is ignored. */
    private int newestEpoch;
    private int inFlight;
    /** Why {@link #failAll} ended every flow; no flow may start after it. */
    private MqttException closedBy;

    OutboundFlows(StateStore store, int maxQueued, QueueFullPolicy policy, int maxInFlight) {
        this.store = store;
        this.maxQueued = maxQueued;
        this.policy = policy;
        this.maxInFlight = maxInFlight;
    }

    /** Takes back the flows a durable store kept from an earlier run; they are resent like any unacknowledged flow. */
    void recover(StateStore.Recovered recovered) {
        lock.lock();
        try {
            for (StateStore.OutgoingFlow stored : recovered.outgoing()) {
                Publish publish = stored.publish();
                packetIds.reserve(publish.packetId());
                OutboundFlow flow = new OutboundFlow(nextSequence++, publish.packetId(), publish);
                flow.sentBefore = true;
                flow.state = stored.released() ? State.RELEASED : State.QUEUED;
                publishes.put(flow.sequence, flow);
                byId.put(flow.packetId, flow);
                if (flow.state == State.QUEUED) {
                    queued.put(flow.sequence, flow);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // --- new flows (callers' threads) ---

    /**
     * Queues a publish, stores it, and sends it if the link and the window allow. A QoS 0
     * publish queued here (only while disconnected) needs no identifier and is done once sent.
     *
     * @param wait how long {@link QueueFullPolicy#BLOCK} waits for room
     * @return the future of the broker's final answer (for QoS 0: of the send)
     */
    CompletableFuture<Packet> publish(Publish publish, Duration wait) throws MqttException {
        lock.lock();
        try {
            awaitRoom(wait);
            checkOpen();
            boolean qos0 = publish.qos() == Qos.AT_MOST_ONCE;
            int packetId = qos0 ? 0 : packetIds.acquire();
            Publish withId = qos0 ? publish : new Publish(publish.topic(), publish.payload(), publish.qos(),
                    publish.retain(), false, packetId, publish.properties());
            OutboundFlow flow = new OutboundFlow(nextSequence++, packetId, withId);
            if (!qos0) {
                try {
                    store.outgoingSent(withId); // durable before the caller hears back
                } catch (MqttException | RuntimeException e) {
                    packetIds.release(packetId);
                    throw e;
                }
                byId.put(packetId, flow);
            }
            publishes.put(flow.sequence, flow);
            queued.put(flow.sequence, flow);
            pump();
            return flow.reply;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A caller that got past the client's closed check just before {@code close()}, or that was
     * waiting in {@link #awaitRoom} when {@link #failAll} emptied the queue, must not add a flow
     * afterwards: no link would ever send it and nothing would complete its future, which stayed
     * pending for ever (found by the close-under-load resilience test, 62 of 6,000 futures).
     */
    private void checkOpen() throws MqttException {
        if (closedBy != null) {
            throw new MqttException(closedBy.reasonCode(), closedBy.getMessage(), closedBy);
        }
    }

    private void awaitRoom(Duration wait) throws MqttException {
        long remaining = wait.toNanos();
        while (publishes.size() >= maxQueued && closedBy == null) {
            if (policy == QueueFullPolicy.FAIL || remaining <= 0) {
                throw new MqttException(ReasonCode.QUOTA_EXCEEDED, "the outgoing queue is full: " + maxQueued
                        + " messages wait for the broker's acknowledgement or for the connection"
                        + (policy == QueueFullPolicy.FAIL ? " (policy FAIL)" : ", and no room became free within " + wait));
            }
            try {
                remaining = changed.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "interrupted while waiting for room in the outgoing queue", e);
            }
        }
    }

    /** Sends a SUBSCRIBE or UNSUBSCRIBE now, or as soon as a link is up. */
    CompletableFuture<Packet> control(Packet request) throws MqttException {
        lock.lock();
        try {
            checkOpen();
            int packetId = packetIds.acquire();
            Packet withId = switch (request) {
                case Subscribe p -> new Subscribe(packetId, p.subscriptions(), p.properties());
                case Unsubscribe p -> new Unsubscribe(packetId, p.filters(), p.properties());
                default -> throw new IllegalArgumentException(request.type() + " is not a control request");
            };
            OutboundFlow flow = new OutboundFlow(nextSequence++, packetId, withId);
            byId.put(packetId, flow);
            if (link == null) {
                controlsQueued.put(flow.sequence, flow);
            } else {
                sendControl(flow);
            }
            return flow.reply;
        } finally {
            lock.unlock();
        }
    }

    // --- sending (under the lock) ---

    /** Sends queued publishes while the link's window has room, oldest first. */
    private void pump() {
        while (link != null && !queued.isEmpty()) {
            Long first = queued.firstKey(); // firstEntry() would copy the entry
            OutboundFlow flow = queued.get(first);
            boolean qos0 = flow.packetId == 0;
            if (!qos0 && inFlight >= Math.min(maxInFlight, link.result.receiveMaximum())) {
                return;
            }
            queued.remove(first);
            Link current = link;
            Publish publish = (Publish) flow.request;
            if (qos0) {
                publishes.remove(flow.sequence);
            } else {
                flow.state = State.SENT;
                flow.epoch = current.epoch;
                inFlight++;
                if (flow.sentBefore) {
                    publish = new Publish(publish.topic(), publish.payload(), publish.qos(), publish.retain(), true,
                            publish.packetId(), publish.properties()); // [MQTT-3.3.1-1]
                }
                flow.sentBefore = true;
            }
            try {
                current.send(publish, true);
                if (qos0) {
                    flow.ended(null, null);
                    lock.completeLater(flow);
                }
            } catch (MqttException e) {
                if (link == current && e.reasonCode() == ReasonCode.PACKET_TOO_LARGE) {
                    finish(flow, null, e); // refused unsent [MQTT-3.2.2-15]; the link carries on
                } else if (qos0) {
                    flow.ended(null, e);
                    lock.completeLater(flow);
                    return;
                } else {
                    return; // the link is lost: detach() put the flow back in the queue
                }
            }
        }
    }

    private void sendControl(OutboundFlow flow) {
        flow.state = State.SENT;
        flow.epoch = link.epoch;
        Link current = link;
        try {
            current.send(flow.request, false);
        } catch (MqttException e) {
            if (link == current && e.reasonCode() == ReasonCode.PACKET_TOO_LARGE) {
                finish(flow, null, e);
            }
            // otherwise the link is lost and detach() queued the flow again
        }
    }

    // --- the link comes and goes ---

    /**
     * A new link is up. When it resumed the session, every PUBREL and unacknowledged PUBLISH is
     * sent again in the original order; when the broker started a new session, the publishes the
     * broker had already received (PUBREC came) are done, and the others go out as new messages.
     */
    void attach(Link newLink) {
        List<OutboundFlow> completedByNewSession = new ArrayList<>();
        lock.lock();
        try {
            if (newLink.epoch <= newestEpoch) {
                return; // lost before it got here, and maybe replaced already: its flows wait for the next link
            }
            newestEpoch = newLink.epoch;
            requeueSent();
            boolean resumed = newLink.result.sessionPresent();
            link = newLink;
            inFlight = 0;
            for (OutboundFlow flow : List.copyOf(publishes.values())) {
                if (flow.state == State.RELEASED) {
                    if (resumed) {
                        inFlight++;
                        flow.epoch = newLink.epoch;
                        sendRelease(flow);
                    } else {
                        completedByNewSession.add(flow);
                    }
                } else if (!resumed) {
                    flow.sentBefore = false; // a new session: a new message, not a duplicate
                }
            }
            for (OutboundFlow flow : completedByNewSession) {
                // PUBREC meant the broker had the message [MQTT-4.3.3-4]; its new session owes nothing more.
                finish(flow, new Pubcomp(flow.packetId), null);
            }
            pump();
            while (link == newLink && !controlsQueued.isEmpty()) {
                sendControl(controlsQueued.pollFirstEntry().getValue());
            }
        } finally {
            lock.unlock();
        }
    }

    private void sendRelease(OutboundFlow flow) {
        try {
            link.send(new Pubrel(flow.packetId), false);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "PUBREL {0} not sent: {1}", flow.packetId, e.getMessage());
        }
    }

    /** The link is gone: everything sent on it and not finished waits for the next one. */
    void detach(Link lost) {
        lock.lock();
        try {
            newestEpoch = Math.max(newestEpoch, lost.epoch);
            if (link != lost) {
                return;
            }
            link = null;
            inFlight = 0;
            requeueSent();
        } finally {
            lock.unlock();
        }
    }

    /** Puts every flow sent on an earlier link and not answered back in the queue, under the lock. */
    private void requeueSent() {
        for (OutboundFlow flow : byId.values()) {
            if (flow.state == State.SENT) {
                flow.state = State.QUEUED;
                (flow.isPublish() ? queued : controlsQueued).put(flow.sequence, flow);
            }
        }
    }

    // --- answers (reader thread) ---

    /**
     * Handles PUBACK, PUBREC, PUBCOMP, SUBACK or UNSUBACK read from {@code from}.
     *
     * @throws MqttProtocolException if it answers nothing this client sent on that link
     */
    void answer(Packet reply, int packetId, Link from) throws MqttProtocolException {
        lock.lock();
        try {
            OutboundFlow flow = byId.get(packetId);
            if (flow == null || flow.epoch != from.epoch || flow.state == State.QUEUED) {
                if (from != link) {
                    return; // read late from a link already replaced: the flow goes on on the new one
                }
                throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, reply.type() + " for packet identifier "
                        + packetId + ", which no " + expectedRequest(reply) + " is waiting for");
            }
            if (!flow.isAnsweredBy(reply)) {
                throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, reply.type() + " for packet identifier "
                        + packetId + ", which is in use by a " + flow.request.type());
            }
            MqttProtocolException wrongCount = flow.reasonCodeCountError(reply);
            if (wrongCount != null) {
                finish(flow, null, wrongCount); // the caller learns why, and the reader closes the connection
                throw wrongCount;
            }
            if (reply instanceof Pubrec pubrec && !pubrec.reasonCode().isError()) {
                flow.state = State.RELEASED; // isAnsweredBy() let only a SENT flow take a PUBREC
                try {
                    store.outgoingReleased(packetId);
                } catch (MqttException e) {
                    storeFailed(e);
                }
                sendRelease(flow); // [MQTT-4.3.3-4]
                return;
            }
            if (flow.isPublish()) {
                // Before unlock() completes the future: whoever sees the publish return sees it counted.
                latency.record(System.nanoTime() - flow.startNanos);
            }
            finish(flow, reply, null);
        } finally {
            lock.unlock();
        }
    }

    private static String expectedRequest(Packet reply) {
        return reply instanceof Suback ? "SUBSCRIBE" : reply instanceof Unsuback ? "UNSUBSCRIBE" : "PUBLISH";
    }

    /** Ends a flow, under the lock: frees its identifier and window slot, then completes its future. */
    private void finish(OutboundFlow flow, Packet reply, MqttException failure) {
        if (byId.remove(flow.packetId) == null && flow.packetId != 0) {
            return;
        }
        packetIds.release(flow.packetId);
        if (flow.isPublish()) {
            publishes.remove(flow.sequence);
            queued.remove(flow.sequence);
            if (flow.state != State.QUEUED && link != null && flow.epoch == link.epoch) {
                inFlight--;
            }
            try {
                store.outgoingCompleted(flow.packetId);
            } catch (MqttException e) {
                storeFailed(e);
            }
        } else {
            controlsQueued.remove(flow.sequence);
        }
        changed.signalAll();
        flow.ended(reply, failure);
        lock.completeLater(flow);
        pump();
    }

    /** The flow itself went on; a store that cannot record its end resends it after a restart, a duplicate at worst. */
    private static void storeFailed(MqttException e) {
        LOG.log(System.Logger.Level.WARNING, "session store: {0}", e.getMessage());
    }

    // --- the end ---

    /**
     * Fails every flow not finished, leaving the store as it is: a durable store keeps them for
     * the next client with the same identifier.
     */
    void failAll(MqttException reason) {
        List<OutboundFlow> failed;
        lock.lock();
        try {
            closedBy = reason;
            failed = new ArrayList<>(byId.values());
            for (OutboundFlow flow : publishes.values()) {
                if (flow.packetId == 0) {
                    failed.add(flow);
                }
            }
            byId.clear();
            publishes.clear();
            queued.clear();
            controlsQueued.clear();
            inFlight = 0;
            link = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (OutboundFlow flow : failed) {
            flow.reply.completeExceptionally(reason);
        }
    }

    /** Waits until no publish is unfinished, at most {@code timeout}; true if none is. */
    boolean awaitPublishesDone(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!publishes.isEmpty()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    // --- metrics ---

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return publishes.size();
        } finally {
            lock.unlock();
        }
    }

    LatencyHistogram latency() {
        return latency;
    }

}
