package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.internal.codec.Publish;

/**
 * The default store: keeps nothing beyond what the session already holds in memory, so the
 * state lives as long as the client object. Reconnects resume from it; a restarted process
 * starts empty.
 */
public final class MemoryStateStore implements StateStore {

    @Override
    public Recovered open(String clientIdentifier) {
        return Recovered.EMPTY;
    }

    @Override
    public void outgoingSent(Publish publish) {
        // the session's own map of outgoing flows is the state
    }

    @Override
    public void outgoingReleased(int packetId) {
        // kept in the session's map
    }

    @Override
    public void outgoingCompleted(int packetId) {
        // kept in the session's map
    }

    @Override
    public void incomingReceived(int packetId) {
        // kept in the session's map
    }

    @Override
    public void incomingReleased(int packetId) {
        // kept in the session's map
    }

    @Override
    public void clear() {
        // nothing stored
    }

    @Override
    public void close() {
        // nothing to release
    }
}
