package dev.tether.mqtt.internal.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link FileStateStore} file means once its records are replayed: the outgoing flows in
 * first-stored order, each with its record body, and the incoming identifiers. It also counts
 * the bytes a rewrite of just this state would take, which decides when the log is compacted.
 *
 * <p>Outgoing PUBLISHes stay encoded: they are decoded only when the store is opened, and a
 * rewrite copies the bytes as they are. Not thread-safe: the store's lock guards it.
 */
final class LiveState {

    /** One outgoing flow: its SENT body and whether PUBREC came. */
    record Outgoing(byte[] sentBody, boolean released) {
    }

    private static final long ID_RECORD_SIZE = StoreFormat.recordSize(StoreFormat.BODY_PREFIX_SIZE);

    private final Map<Integer, Outgoing> outgoing = new LinkedHashMap<>();
    private final Set<Integer> incoming = new LinkedHashSet<>();
    private long recordBytes;

    /** Applies one record body, as read back or just written; records that change nothing are ignored. */
    void apply(byte[] body) {
        int packetId = StoreFormat.packetId(body);
        switch (body[0]) {
            case StoreFormat.SENT -> sent(packetId, body);
            case StoreFormat.RELEASED -> released(packetId);
            case StoreFormat.COMPLETED -> completed(packetId);
            case StoreFormat.INCOMING_RECEIVED -> {
                if (incoming.add(packetId)) {
                    recordBytes += ID_RECORD_SIZE;
                }
            }
            case StoreFormat.INCOMING_RELEASED -> {
                if (incoming.remove(packetId)) {
                    recordBytes -= ID_RECORD_SIZE;
                }
            }
            default -> throw new IllegalArgumentException("unknown record kind " + body[0]);
        }
    }

    /**
     * Whether the record would change the state. The store writes only records that do, so a
     * repeated acknowledgement does not grow the log.
     */
    boolean changes(byte kind, int packetId) {
        return switch (kind) {
            case StoreFormat.SENT -> true;
            case StoreFormat.RELEASED -> outgoing.containsKey(packetId) && !outgoing.get(packetId).released();
            case StoreFormat.COMPLETED -> outgoing.containsKey(packetId);
            case StoreFormat.INCOMING_RECEIVED -> !incoming.contains(packetId);
            case StoreFormat.INCOMING_RELEASED -> incoming.contains(packetId);
            default -> throw new IllegalArgumentException("unknown record kind " + kind);
        };
    }

    /**
     * A PUBLISH stored again under an identifier that is still in flight replaces the old one but
     * keeps its place; after COMPLETED the identifier is new and goes to the end.
     */
    private void sent(int packetId, byte[] body) {
        Outgoing old = outgoing.put(packetId, new Outgoing(body, false));
        if (old != null) {
            recordBytes -= size(old);
        }
        recordBytes += StoreFormat.recordSize(body.length);
    }

    private void released(int packetId) {
        Outgoing flow = outgoing.get(packetId);
        if (flow != null && !flow.released()) {
            outgoing.put(packetId, new Outgoing(flow.sentBody(), true));
            recordBytes += ID_RECORD_SIZE;
        }
    }

    private void completed(int packetId) {
        Outgoing old = outgoing.remove(packetId);
        if (old != null) {
            recordBytes -= size(old);
        }
    }

    private static long size(Outgoing flow) {
        return StoreFormat.recordSize(flow.sentBody().length) + (flow.released() ? ID_RECORD_SIZE : 0);
    }

    /** The bytes of the records a rewrite of this state takes, the file header not included. */
    long recordBytes() {
        return recordBytes;
    }

    /** The outgoing flows in first-stored order. */
    List<Outgoing> outgoing() {
        return new ArrayList<>(outgoing.values());
    }

    /** The incoming identifiers. */
    Set<Integer> incoming() {
        return new LinkedHashSet<>(incoming);
    }

    /**
     * The record bodies that rebuild this state, in an order that replays to the same state:
     * each SENT followed by its RELEASED, then the incoming identifiers.
     */
    List<byte[]> snapshot() {
        List<byte[]> bodies = new ArrayList<>(outgoing.size() + incoming.size());
        for (Map.Entry<Integer, Outgoing> flow : outgoing.entrySet()) {
            bodies.add(flow.getValue().sentBody());
            if (flow.getValue().released()) {
                bodies.add(StoreFormat.body(StoreFormat.RELEASED, flow.getKey()));
            }
        }
        for (int packetId : incoming) {
            bodies.add(StoreFormat.body(StoreFormat.INCOMING_RECEIVED, packetId));
        }
        return bodies;
    }

    void clear() {
        outgoing.clear();
        incoming.clear();
        recordBytes = 0;
    }
}
