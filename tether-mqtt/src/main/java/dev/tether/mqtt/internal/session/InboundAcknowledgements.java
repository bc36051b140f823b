package dev.tether.mqtt.internal.session;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends the acknowledgements of incoming QoS 1 and 2 messages in the order the messages arrived
 * [MQTT-4.6.0-2, MQTT-4.6.0-3], each only once the application has the message: a flow that
 * completes early waits for those before it. The number of flows is bounded by the client's
 * Receive Maximum, which the broker must respect [MQTT-3.3.4-9].
 */
public final class InboundAcknowledgements {

    private final ArrayDeque<InboundFlow> flows = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Consumer<InboundFlow> sender;

    /**
     * @param sender writes the PUBACK or PUBREC of a flow; called in arrival order, never under a lock
     *     held by this class, but by one thread at a time
     */
    public InboundAcknowledgements(Consumer<InboundFlow> sender) {
        this.sender = sender;
    }

    /** Starts the flow of a message that just arrived; call {@link InboundFlow#routed()} once it is routed. */
    public InboundFlow start(int packetId, boolean exactlyOnce) {
        InboundFlow flow = new InboundFlow(packetId, exactlyOnce, this);
        lock.lock();
        try {
            flows.add(flow);
        } finally {
            lock.unlock();
        }
        return flow;
    }

    /** A flow completed: send the acknowledgements that are now due, in order. */
    void completed() {
        // Sending under the lock keeps the order; the sender only writes a small packet.
        lock.lock();
        try {
            while (!flows.isEmpty() && flows.peek().isDone()) {
                sender.accept(flows.poll());
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many incoming messages await acknowledgement} */
    public int pending() {
        lock.lock();
        try {
            return flows.size();
        } finally {
            lock.unlock();
        }
    }
}
