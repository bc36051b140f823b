package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.internal.codec.Publish;
import java.util.List;
import java.util.Set;

/**
 * Where a client keeps the part of its session state that must outlive the process: outgoing
 * QoS 1/2 messages the broker has not yet acknowledged, and the packet identifiers of incoming
 * QoS 2 messages delivered but not yet released. The session keeps the same state in memory; a
 * store only has to be able to give it back after a restart.
 *
 * <p>Every method returns only when the change is durable to the store's promise (for the file
 * store: written to the operating system, so it survives the process being killed). Calls come
 * from many threads; an implementation serialises them itself.
 */
public interface StateStore extends AutoCloseable {

    /**
     * Opens the store for one client identifier and returns what it holds.
     *
     * @throws MqttException if the stored state cannot be read; the message names the file
     */
    Recovered open(String clientIdentifier) throws MqttException;

    /** An outgoing QoS 1/2 PUBLISH with its packet identifier, not yet acknowledged; DUP and topic alias are not stored. */
    void outgoingSent(Publish publish) throws MqttException;

    /** The broker answered the QoS 2 PUBLISH with PUBREC: from now on only the PUBREL is resent. */
    void outgoingReleased(int packetId) throws MqttException;

    /** The outgoing flow ended (PUBACK, PUBCOMP, or a refusal): the identifier is free again. */
    void outgoingCompleted(int packetId) throws MqttException;

    /** An incoming QoS 2 message with this identifier was delivered: a resent copy must not be delivered again. */
    void incomingReceived(int packetId) throws MqttException;

    /** The broker sent PUBREL for this incoming QoS 2 identifier: the identifier may be reused. */
    void incomingReleased(int packetId) throws MqttException;

    /** Forgets everything: the broker started a new session. */
    void clear() throws MqttException;

    /** Releases the store's resources; the stored state stays. */
    @Override
    void close();

    /**
     * What a store gives back when opened.
     *
     * @param outgoing the unacknowledged outgoing flows, in the order they were first stored
     * @param incoming the identifiers of incoming QoS 2 messages delivered and not yet released
     */
    record Recovered(List<OutgoingFlow> outgoing, Set<Integer> incoming) {

        /** Nothing stored. */
        public static final Recovered EMPTY = new Recovered(List.of(), Set.of());

        public Recovered {
            outgoing = List.copyOf(outgoing);
            incoming = Set.copyOf(incoming);
        }
    }

    /**
     * One outgoing flow as stored.
     *
     * @param publish  the PUBLISH with its packet identifier
     * @param released whether PUBREC came back, so PUBREL is what is resent
     */
    record OutgoingFlow(Publish publish, boolean released) {
    }
}
