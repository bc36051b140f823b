package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.IncomingOverflowPolicy;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.internal.session.InboundFlow;
import dev.tether.mqtt.internal.session.MessageStream;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The messages that arrived while no stream being consumed wanted them, held in arrival order for
 * the first matching stream that starts being consumed: messages for a subscription nobody reads
 * yet, and the QoS 1/2 messages a resumed session delivers before the application subscribed
 * again. A held QoS 1/2 message is not acknowledged. At most {@code maxQueuedIncoming} are held:
 * past that the reader waits (TCP backpressure), or a QoS 0 message is dropped as the
 * {@link IncomingOverflowPolicy} says. Every method runs under the router's lock, which makes
 * holding and claiming atomic with routing.
 */
final class HeldMessages {

    /** A message and the flow to acknowledge once a stream it is handed to gives it out. */
    private record Held(MqttMessage message, InboundFlow flow) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final Condition room;
    private final ClientOptions options;
    private final AtomicBoolean ended;
    private final LongAdder dropped;

    /**
     * @param routingLock the router's lock, held around every call
     * @param ended       set once the session ended: nothing is waited for any more
     * @param dropped     counts the QoS 0 messages dropped by the overflow policy
     */
    HeldMessages(ReentrantLock routingLock, ClientOptions options, AtomicBoolean ended, LongAdder dropped) {
        this.room = routingLock.newCondition();
        this.options = options;
        this.ended = ended;
        this.dropped = dropped;
    }

    /**
     * Holds a message if there is room, or makes room by the overflow policy (a QoS 0 message).
     *
     * @return false when {@code maxQueuedIncoming} are held: the caller waits with {@link #awaitRoom()}
     *     and routes the message again, as a stream may have started being consumed meanwhile
     */
    boolean hold(MqttMessage message, InboundFlow flow) {
        if (held.size() >= options.maxQueuedIncoming() && !ended.get() && !options.isClosing()) {
            IncomingOverflowPolicy overflow = options.incomingOverflow();
            if (flow == null && overflow == IncomingOverflowPolicy.DROP_NEWEST) {
                dropped.increment();
                return true;
            }
            if (flow == null && overflow == IncomingOverflowPolicy.DROP_OLDEST && removeFirst(candidate -> candidate.flow == null)) {
                dropped.increment();
            } else {
                return false;
            }
        }
        if (flow != null) {
            flow.hold();
        }
        held.add(new Held(message, flow));
        return true;
    }

    /** Waits until held messages were claimed or dropped, or the session ends; lets go of the router's lock meanwhile. */
    void awaitRoom() throws InterruptedException {
        room.await();
    }

    private boolean removeFirst(Predicate<Held> which) {
        var iterator = held.iterator();
        while (iterator.hasNext()) {
            if (which.test(iterator.next())) {
                iterator.remove();
                room.signalAll();
                return true;
            }
        }
        return false;
    }

    /**
     * Moves the held messages {@code stream} wants into it, in arrival order. The stream starts
     * empty and holds as many as are held here, so they all fit; a closed stream takes none.
     */
    void claim(MessageStream<MqttMessage> stream, Predicate<MqttMessage> wants) {
        var iterator = held.iterator();
        while (iterator.hasNext()) {
            Held next = iterator.next();
            if (wants.test(next.message)) {
                if (!stream.offer(next.message, next.flow)) {
                    return; // closed (or full): the rest stays held, in order
                }
                iterator.remove();
                if (next.flow != null) {
                    next.flow.released(); // the stream holds it now
                }
                room.signalAll();
            }
        }
    }

    /** Drops the held messages nobody will want any more; their flows are acknowledged: nobody is left to read them. */
    void drop(Predicate<MqttMessage> unwanted) {
        var iterator = held.iterator();
        while (iterator.hasNext()) {
            Held next = iterator.next();
            if (unwanted.test(next.message)) {
                iterator.remove();
                if (next.flow != null) {
                    next.flow.released();
                }
                room.signalAll();
            }
        }
    }

    /** The session is over: forgets what is held (nothing can be acknowledged any more) and wakes the reader. */
    void clear() {
        held.clear();
        room.signalAll();
    }

    /** {@return how many messages are held} */
    int size() {
        return held.size();
    }
}
