package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Subscription;
import dev.tether.spring.MqttListenerErrorHandler;
import dev.tether.spring.MqttPayloadConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the application's {@link dev.tether.spring.MqttListener} methods on the shared client. It
 * starts in phase {@value #PHASE}, after the web server, and so stops first, as Spring Kafka's
 * listener containers do.
 *
 * <ul>
 * <li>{@code start()} subscribes every listener (start-up fails, naming the listener, if the
 *     broker refuses) and starts its virtual threads, {@code concurrency} of them.
 * <li>Each thread takes one message at a time, calls the method, and then acknowledges the
 *     message; a failure goes to the {@link MqttListenerErrorHandler}.
 * <li>{@code stop()} lets each thread finish the message it is on and the ones already buffered
 *     for its listener, then unsubscribes: with a shared subscription the broker gives the rest to
 *     the other members of the group.
 * </ul>
 *
 * <pre>{@code
 * @Autowired MqttListenerContainer listeners;
 * listeners.stop();    // pause every listener; start() subscribes again
 * }</pre>
 */
public final class MqttListenerContainer implements SmartLifecycle {

    /** The lifecycle phase: after the web server starts ({@code Integer.MAX_VALUE - 2048}), before its graceful shutdown. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    /** How often an idle listener thread looks whether it should stop. */
    private static final Duration POLL = Duration.ofMillis(200);

    /** The longest a stop waits for the broker to confirm an unsubscribe. */
    private static final Duration UNSUBSCRIBE_WAIT = Duration.ofSeconds(5);

    private static final Log log = LogFactory.getLog(MqttListenerContainer.class);

    private final MqttClient client;
    private final Supplier<List<ListenerEndpoint>> endpoints;
    private final MqttPayloadConverter converter;
    private final MqttListenerErrorHandler errorHandler;
    private final boolean autoStartup;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Counts> counts = new LinkedHashMap<>();
    private List<Running> running = List.of();

    /** What a listener handled, for the metrics. */
    record Counts(LongAdder succeeded, LongAdder failed) {
        Counts() {
            this(new LongAdder(), new LongAdder());
        }
    }

    /** A started listener: its subscription and threads. */
    private static final class Running {
        final ListenerEndpoint endpoint;
        final Subscription subscription;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean active = true;

        Running(ListenerEndpoint endpoint, Subscription subscription) {
            this.endpoint = endpoint;
            this.subscription = subscription;
        }
    }

    MqttListenerContainer(MqttClient client, Supplier<List<ListenerEndpoint>> endpoints, MqttPayloadConverter converter,
                          MqttListenerErrorHandler errorHandler, boolean autoStartup) {
        this.client = client;
        this.endpoints = endpoints;
        this.converter = converter;
        this.errorHandler = errorHandler;
        this.autoStartup = autoStartup;
    }

    /** {@return the ids of the listeners, in the order they were found} */
    public List<String> listenerIds() {
        return endpoints.get().stream().map(ListenerEndpoint::id).toList();
    }

    /**
     * Subscribes every listener and starts its threads.
     *
     * @throws IllegalStateException naming the listener, if the broker refused a subscription or a
     *     listener's payload parameter cannot be converted
     */
    @Override
    public void start() {
        lock.lock();
        try {
            if (!running.isEmpty()) {
                return;
            }
            List<Running> started = new ArrayList<>();
            try {
                for (ListenerEndpoint endpoint : endpoints.get()) {
                    check(endpoint);
                    Subscription subscription;
                    try {
                        subscription = client.subscribe(endpoint.subscribeRequest());
                    } catch (MqttException e) {
                        throw new IllegalStateException("@MqttListener " + endpoint.id() + " could not subscribe to "
                                + endpoint.filters() + ": " + e.getMessage(), e);
                    }
                    Running listener = new Running(endpoint, subscription);
                    started.add(listener);
                    Counts listenerCounts = counts.computeIfAbsent(endpoint.id(), id -> new Counts());
                    for (int i = 0; i < endpoint.concurrency(); i++) {
                        listener.threads.add(Thread.ofVirtual().name("mqtt-listener-" + endpoint.id() + "-" + i)
                                .start(() -> work(listener, listenerCounts)));
                    }
                }
            } catch (RuntimeException e) {
                started.forEach(listener -> listener.active = false);
                started.forEach(this::end);
                throw e;
            }
            running = List.copyOf(started);
            if (!started.isEmpty()) {
                log.info("MQTT listeners subscribed: " + started.stream().map(r -> r.endpoint.toString()).toList());
            }
        } finally {
            lock.unlock();
        }
    }

    private void check(ListenerEndpoint endpoint) {
        if (endpoint.payloadType() != null && converter instanceof PlainPayloadConverter plain
                && !plain.canDecode(endpoint.payloadType())) {
            throw new IllegalStateException("@MqttListener " + endpoint.id() + " takes a " + endpoint.payloadType().getTypeName()
                    + ", which needs Jackson (tools.jackson.core:jackson-databind) on the class path; or take a String,"
                    + " byte[], number or MqttMessage");
        }
    }

    private void work(Running listener, Counts listenerCounts) {
        while (true) {
            MqttMessage message;
            try {
                // Once stopping, it only drains what is buffered: poll() does not wait.
                message = listener.active ? listener.subscription.receive(POLL) : listener.subscription.poll();
            } catch (InterruptedException e) {
                return;
            } catch (MqttException e) {
                log.warn("MQTT listener " + listener.endpoint.id() + " ends: the connection is lost for good: " + e.getMessage());
                return;
            }
            if (message == null) {
                if (!listener.active || client.state() == ConnectionState.CLOSED) {
                    return;
                }
                continue;
            }
            handle(listener.endpoint, message, listenerCounts);
        }
    }

    private void handle(ListenerEndpoint endpoint, MqttMessage message, Counts listenerCounts) {
        try {
            endpoint.invoke(message, converter);
            listenerCounts.succeeded.increment();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable error) {
            listenerCounts.failed.increment();
            try {
                errorHandler.handle(endpoint.id(), message, error);
            } catch (Exception handlerError) {
                log.error("The MQTT listener error handler failed on " + endpoint.id() + " (" + message.topic() + ")", handlerError);
            }
        } finally {
            // After the method, or after its error was handled: a failed message is not sent again on
            // this connection in any case, and holding it back would hold back every later acknowledgement.
            message.ack();
        }
    }

    /**
     * Waits for the listener's threads to finish what is buffered, then unsubscribes on a thread of
     * its own: the caller waits for the UNSUBACK only while the client is connected, and at most
     * {@link #UNSUBSCRIBE_WAIT}, since a client that is reconnecting would hold shutdown for its
     * whole operation timeout.
     */
    private void end(Running listener) {
        for (Thread thread : listener.threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Thread unsubscribe = Thread.ofVirtual().name("mqtt-listener-unsubscribe-" + listener.endpoint.id()).start(() -> {
            try {
                listener.subscription.close();
            } catch (RuntimeException e) {
                log.debug("Unsubscribing " + listener.endpoint.id() + " failed", e);
            }
        });
        if (client.state() == ConnectionState.CONNECTED) {
            try {
                unsubscribe.join(UNSUBSCRIBE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void stop() {
        List<Running> stopping;
        lock.lock();
        try {
            stopping = running;
            running = List.of();
        } finally {
            lock.unlock();
        }
        stopping.forEach(listener -> listener.active = false);
        stopping.forEach(this::end);
    }

    @Override
    public void stop(Runnable callback) {
        Thread.ofVirtual().name("mqtt-listeners-stop").start(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        lock.lock();
        try {
            return !running.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** {@return each listener's counts by id, for the metrics} */
    Map<String, Counts> counts() {
        lock.lock();
        try {
            for (ListenerEndpoint endpoint : endpoints.get()) {
                counts.computeIfAbsent(endpoint.id(), id -> new Counts());
            }
            return Map.copyOf(counts);
        } finally {
            lock.unlock();
        }
    }
}
