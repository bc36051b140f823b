package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.session.StateStore.OutgoingFlow;
import dev.tether.mqtt.internal.session.StateStore.Recovered;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a store must give back after a sequence of calls, kept the simplest way there is. */
final class ExpectedState {

    private final Map<Integer, OutgoingFlow> outgoing = new LinkedHashMap<>();
    private final Set<Integer> incoming = new LinkedHashSet<>();

    ExpectedState() {
    }

    /** Starting from what a store gave back. */
    ExpectedState(Recovered start) {
        start.outgoing().forEach(flow -> outgoing.put(flow.publish().packetId(), flow));
        incoming.addAll(start.incoming());
    }

    void sent(Publish publish) {
        outgoing.put(publish.packetId(), new OutgoingFlow(publish, false));
    }

    void released(int packetId) {
        outgoing.computeIfPresent(packetId, (id, flow) -> new OutgoingFlow(flow.publish(), true));
    }

    void completed(int packetId) {
        outgoing.remove(packetId);
    }

    void incomingReceived(int packetId) {
        incoming.add(packetId);
    }

    void incomingReleased(int packetId) {
        incoming.remove(packetId);
    }

    void apply(StoreWritingProcess.Operation operation) {
        int id = operation.packetId();
        switch (operation.kind()) {
            case StoreFormat.SENT -> sent(StoreWritingProcess.publish(id));
            case StoreFormat.RELEASED -> released(id);
            case StoreFormat.COMPLETED -> completed(id);
            case StoreFormat.INCOMING_RECEIVED -> incomingReceived(id);
            case StoreFormat.INCOMING_RELEASED -> incomingReleased(id);
            default -> throw new IllegalArgumentException("kind " + operation.kind());
        }
    }

    /** The incoming identifiers in the order they came, which {@link Recovered} does not keep. */
    List<Integer> incomingInOrder() {
        return List.copyOf(incoming);
    }

    Recovered recovered() {
        return new Recovered(new ArrayList<>(outgoing.values()), incoming);
    }
}
