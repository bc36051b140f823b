package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.IncomingOverflowPolicy;
import dev.tether.mqtt.MqttException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A bounded queue of incoming messages for one consumer stream (a subscription, or the client's
 * stream of all messages). When it is full, {@link #put} blocks the connection's reader: the
 * client stops reading the socket and TCP pushes back on the broker, so nothing is dropped.
 * Each message carries the flow to acknowledge once a consumer has taken it.
 *
 * <p>A stream is consumed from its first take, or from {@link #consume()} (an iterator made for
 * it): only then does the router put messages into it. The first take tells the router through
 * the hook given at construction, which hands the stream the messages held for it and marks it
 * {@linkplain #markConsumed() consumed}, atomically with routing.
 *
 * <p>Closing ends the stream normally after what is buffered has been dropped; failing it makes
 * every waiting and later {@link #take} throw the cause.
 *
 * @param <T> the message type
 */
public final class MessageStream<T> {

    private record Item<T>(T message, InboundFlow flow) {
    }

    private final int capacity;
    private final boolean acknowledgeOnTake;
    private final IncomingOverflowPolicy overflow;
    private final LongAdder dropped;
    private final ArrayDeque<Item<T>> items;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Told on the first take, before it: must call {@link #markConsumed()}. */
    private final Consumer<MessageStream<T>> firstTake;
    private volatile boolean consumed;
    private boolean closed;
    private MqttException failure;

    /**
     * @param capacity the most messages buffered before the reader waits
     */
    public MessageStream(int capacity) {
        this(capacity, true);
    }

    /**
     * @param capacity the most messages buffered before the reader waits
     * @param acknowledgeOnTake false in manual mode: the application acknowledges each message itself
     */
    public MessageStream(int capacity, boolean acknowledgeOnTake) {
        this(capacity, acknowledgeOnTake, IncomingOverflowPolicy.BACKPRESSURE, new LongAdder());
    }

    /**
     * A stream that may drop QoS 0 messages when full.
     *
     * @param capacity          how many messages it buffers
     * @param acknowledgeOnTake whether taking a message completes its flow
     * @param overflow          what a full stream does with a message without a flow (QoS 0)
     * @param dropped           counts the messages dropped by {@code overflow}
     */
    public MessageStream(int capacity, boolean acknowledgeOnTake, IncomingOverflowPolicy overflow, LongAdder dropped) {
        this(capacity, acknowledgeOnTake, overflow, dropped, MessageStream::markConsumed);
    }

    /**
     * A stream whose first take tells whoever routes messages into it.
     *
     * @param capacity          how many messages it buffers
     * @param acknowledgeOnTake whether taking a message completes its flow
     * @param overflow          what a full stream does with a message without a flow (QoS 0)
     * @param dropped           counts the messages dropped by {@code overflow}
     * @param firstTake         called on the first take (or {@link #consume()}), before it; must
     *                          call {@link #markConsumed()}, and may {@link #offer} messages first
     */
    public MessageStream(int capacity, boolean acknowledgeOnTake, IncomingOverflowPolicy overflow, LongAdder dropped,
                         Consumer<MessageStream<T>> firstTake) {
        this.firstTake = firstTake;
        this.overflow = overflow;
        this.dropped = dropped;
        if (capacity < 1) {
            throw new IllegalArgumentException("a stream must buffer at least 1 message, was " + capacity);
        }
        this.capacity = capacity;
        this.acknowledgeOnTake = acknowledgeOnTake;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Adds a message, waiting while the stream is full.
     *
     * @return false if the stream is closed or failed: the message was not added and the flow not counted
     */
    public boolean put(T message, InboundFlow flow) throws InterruptedException {
        lock.lock();
        try {
            while (items.size() >= capacity && !closed && failure == null) {
                if (flow == null && overflow == IncomingOverflowPolicy.DROP_NEWEST) {
                    dropped.increment();
                    return true;
                }
                if (flow == null && overflow == IncomingOverflowPolicy.DROP_OLDEST && dropOldestWithoutFlow()) {
                    dropped.increment();
                    break;
                }
                notFull.await();
            }
            return enqueue(message, flow);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a message if there is room now, without waiting.
     *
     * @return false if the stream is full, closed or failed: the message was not added
     */
    public boolean offer(T message, InboundFlow flow) {
        lock.lock();
        try {
            return items.size() < capacity && enqueue(message, flow);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the oldest message that has no flow (QoS 0), under the lock; false if there is none. */
    private boolean dropOldestWithoutFlow() {
        var iterator = items.iterator();
        while (iterator.hasNext()) {
            if (iterator.next().flow == null) {
                iterator.remove();
                return true;
            }
        }
        return false;
    }

    /** Adds under the lock, counting the flow's new holder; false when the stream no longer takes messages. */
    private boolean enqueue(T message, InboundFlow flow) {
        if (closed || failure != null) {
            return false;
        }
        if (flow != null) {
            flow.expectTake();
        }
        items.add(new Item<>(message, flow));
        notEmpty.signal();
        return true;
    }

    /**
     * Takes the next message, waiting as long as it takes.
     *
     * @return the message, or null when the stream was closed
     * @throws MqttException when the stream failed: the connection was lost for good
     */
    public T take() throws MqttException, InterruptedException {
        return poll(-1);
    }

    /**
     * Takes the next message, waiting at most {@code timeout}.
     *
     * @return the message, or null when none came in time or the stream was closed
     * @throws MqttException when the stream failed
     */
    public T poll(Duration timeout) throws MqttException, InterruptedException {
        return poll(Math.max(0, timeout.toNanos()));
    }

    private T poll(long timeoutNanos) throws MqttException, InterruptedException {
        consume();
        Item<T> item;
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (items.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (closed) {
                    return null;
                }
                if (timeoutNanos < 0) {
                    notEmpty.await();
                } else {
                    if (remaining <= 0) {
                        return null;
                    }
                    remaining = notEmpty.awaitNanos(remaining);
                }
            }
            item = items.poll();
            notFull.signal();
        } finally {
            lock.unlock();
        }
        // Acknowledged outside the lock: acknowledging writes to the socket.
        if (item.flow != null) {
            if (acknowledgeOnTake) {
                item.flow.taken();
            } else {
                item.flow.handedOver();
            }
        }
        return item.message;
    }

    /** Starts consuming, if it has not yet: from now on the router puts messages here. Idempotent. */
    public void consume() {
        if (!consumed) {
            firstTake.accept(this);
        }
    }

    /**
     * Marks the stream consumed; called by the first-take hook, under the lock that makes the start
     * atomic with routing.
     *
     * @return true the first time, false when it was consumed already
     */
    public boolean markConsumed() {
        if (consumed) {
            return false;
        }
        consumed = true;
        return true;
    }

    /** {@return whether a consumer started taking from the stream} */
    public boolean isConsumed() {
        return consumed;
    }

    /** {@return the number of messages waiting} */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream: consumers see its end, buffered messages are dropped, and their flows are
     * released so they do not hold back the acknowledgement of others.
     */
    public void close() {
        ArrayDeque<Item<T>> dropped;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            dropped = new ArrayDeque<>(items);
            items.clear();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        for (Item<T> item : dropped) {
            if (item.flow != null) {
                item.flow.released();
            }
        }
    }

    /** Ends the stream after what it holds: no message is added any more, the ones buffered can still be taken. */
    public void finish() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fails the stream: every waiting and later take throws {@code cause}, once the buffer is drained. */
    public void fail(MqttException cause) {
        lock.lock();
        try {
            if (failure == null && !closed) {
                failure = cause;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the stream was closed (not failed)} */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
