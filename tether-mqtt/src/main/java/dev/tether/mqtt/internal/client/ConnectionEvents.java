package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.internal.session.MessageStream;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Hands a client's {@link ConnectionEvent}s to every iterator and listener, each through its own
 * bounded buffer: a listener that does not keep up loses its oldest-undelivered events (counted
 * and logged), never slows the connection down. The reader thread only enqueues; listeners run on
 * their own virtual threads.
 */
final class ConnectionEvents {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.events");
    /** Per subscriber: enough for minutes of reconnect attempts at the longest default backoff. */
    static final int BUFFER = 256;

    private final List<MessageStream<ConnectionEvent>> streams = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    /** Delivers an event to every subscriber; after {@link ConnectionEvent.Closed} the iterators end. */
    void emit(ConnectionEvent event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = event instanceof ConnectionEvent.Closed;
            for (MessageStream<ConnectionEvent> stream : streams) {
                if (!stream.offer(event, null)) {
                    LOG.log(System.Logger.Level.WARNING, "a connection event listener is {0} events behind; {1} not delivered to it",
                            BUFFER, event);
                }
                if (closed) {
                    stream.finish();
                }
            }
            if (closed) {
                streams.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Events from now on, until the client is closed. */
    Iterable<ConnectionEvent> subscribe() {
        MessageStream<ConnectionEvent> stream = new MessageStream<>(BUFFER);
        lock.lock();
        try {
            if (closed) {
                stream.close();
            } else {
                streams.add(stream);
            }
        } finally {
            lock.unlock();
        }
        return () -> new Iterator<>() {
            private ConnectionEvent next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = stream.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    } catch (MqttException e) {
                        return false; // never failed: events end with the client
                    }
                }
                return next != null;
            }

            @Override
            public ConnectionEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ConnectionEvent event = next;
                next = null;
                return event;
            }
        };
    }

    /** Runs {@code listener} for each event from now on, on a virtual thread of its own. */
    void addListener(Consumer<? super ConnectionEvent> listener) {
        Iterable<ConnectionEvent> events = subscribe();
        Thread.ofVirtual().name("tether-connection-listener").start(() -> {
            for (ConnectionEvent event : events) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "connection listener failed on " + event, e);
                }
            }
        });
    }
}
