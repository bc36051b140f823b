package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.ClientMetrics;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of the shared client, read from {@link MqttClient#metrics()} when the registry
 * is scraped, and of the {@code @MqttListener} methods. Topics are never tags: their number has no
 * bound.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@code mqtt.client.messages.sent} / {@code .received}</td><td>counter</td><td>PUBLISH packets, resends and duplicates included</td></tr>
 * <tr><td>{@code mqtt.client.bytes.sent} / {@code .received}</td><td>counter</td><td>bytes on the network</td></tr>
 * <tr><td>{@code mqtt.client.messages.dropped}</td><td>counter</td><td>incoming QoS 0 messages dropped by the overflow policy</td></tr>
 * <tr><td>{@code mqtt.client.publishes}</td><td>counter</td><td>QoS 1/2 publishes the broker acknowledged</td></tr>
 * <tr><td>{@code mqtt.client.reconnects}</td><td>counter</td><td>connections made after a loss</td></tr>
 * <tr><td>{@code mqtt.client.connected}</td><td>gauge</td><td>1 while connected, else 0</td></tr>
 * <tr><td>{@code mqtt.client.inflight}</td><td>gauge</td><td>QoS 1/2 messages sent, not yet acknowledged</td></tr>
 * <tr><td>{@code mqtt.client.queue.outgoing} / {@code .incoming}</td><td>gauge</td><td>queue depths</td></tr>
 * <tr><td>{@code mqtt.client.publish.latency}</td><td>time gauge, tag {@code quantile} 0.5, 0.99, max</td><td>publish to final acknowledgement</td></tr>
 * <tr><td>{@code mqtt.listener.messages}</td><td>counter, tags {@code listener}, {@code outcome} success/error</td><td>messages handled by each listener</td></tr>
 * </table>
 *
 * <pre>{@code
 * GET /actuator/metrics/mqtt.client.messages.sent
 * }</pre>
 */
public final class MqttMetrics implements MeterBinder {

    /** One snapshot serves every meter of a scrape. */
    private static final long SNAPSHOT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MqttClient client;
    private final MqttListenerContainer listeners;
    private final ReentrantLock lock = new ReentrantLock();
    private ClientMetrics snapshot;
    private long snapshotAt;

    /**
     * Creates the binder.
     *
     * @param client the shared client
     * @param listeners the listener container, or null without listeners
     */
    public MqttMetrics(MqttClient client, MqttListenerContainer listeners) {
        this.client = client;
        this.listeners = listeners;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "mqtt.client.messages.sent", "PUBLISH packets sent, resends included", BaseUnits.MESSAGES, ClientMetrics::messagesSent);
        counter(registry, "mqtt.client.messages.received", "PUBLISH packets received, duplicates included", BaseUnits.MESSAGES,
                ClientMetrics::messagesReceived);
        counter(registry, "mqtt.client.bytes.sent", "Bytes written to the network", BaseUnits.BYTES, ClientMetrics::bytesSent);
        counter(registry, "mqtt.client.bytes.received", "Bytes read from the network", BaseUnits.BYTES, ClientMetrics::bytesReceived);
        counter(registry, "mqtt.client.messages.dropped", "Incoming QoS 0 messages dropped by the overflow policy", BaseUnits.MESSAGES,
                ClientMetrics::droppedIncoming);
        counter(registry, "mqtt.client.publishes", "QoS 1/2 publishes acknowledged by the broker", BaseUnits.MESSAGES,
                ClientMetrics::publishes);
        counter(registry, "mqtt.client.reconnects", "Connections made after a loss", BaseUnits.CONNECTIONS, ClientMetrics::reconnects);
        Gauge.builder("mqtt.client.connected", client, c -> c.state() == ConnectionState.CONNECTED ? 1 : 0)
                .description("1 while the client is connected, else 0").register(registry);
        gauge(registry, "mqtt.client.inflight", "QoS 1/2 messages sent and not yet acknowledged", ClientMetrics::inFlight);
        gauge(registry, "mqtt.client.queue.outgoing", "QoS 1/2 messages waiting to be sent or acknowledged", ClientMetrics::queuedOutgoing);
        gauge(registry, "mqtt.client.queue.incoming", "Messages received and not yet taken", ClientMetrics::queuedIncoming);
        latency(registry, "0.5", ClientMetrics::publishLatencyP50);
        latency(registry, "0.99", ClientMetrics::publishLatencyP99);
        latency(registry, "max", ClientMetrics::publishLatencyMax);
        if (listeners != null) {
            listeners.counts().forEach((id, counts) -> {
                FunctionCounter.builder("mqtt.listener.messages", counts.succeeded(), c -> c.sum())
                        .tags("listener", id, "outcome", "success").baseUnit(BaseUnits.MESSAGES)
                        .description("Messages handled by an @MqttListener method").register(registry);
                FunctionCounter.builder("mqtt.listener.messages", counts.failed(), c -> c.sum())
                        .tags("listener", id, "outcome", "error").baseUnit(BaseUnits.MESSAGES)
                        .description("Messages handled by an @MqttListener method").register(registry);
            });
        }
    }

    private void counter(MeterRegistry registry, String name, String description, String unit, ToLongFunction<ClientMetrics> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsLong(m.metrics())).description(description).baseUnit(unit)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ClientMetrics> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.metrics())).description(description).baseUnit(BaseUnits.MESSAGES)
                .register(registry);
    }

    private void latency(MeterRegistry registry, String quantile, java.util.function.Function<ClientMetrics, Duration> value) {
        TimeGauge.builder("mqtt.client.publish.latency", this, TimeUnit.NANOSECONDS, m -> value.apply(m.metrics()).toNanos())
                .tag("quantile", quantile).description("Time from publish to the broker's final acknowledgement, QoS 1/2")
                .register(registry);
    }

    private ClientMetrics metrics() {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (snapshot == null || now - snapshotAt > SNAPSHOT_NANOS) {
                snapshot = client.metrics();
                snapshotAt = now;
            }
            return snapshot;
        } finally {
            lock.unlock();
        }
    }
}
