package dev.tether.mqtt.internal.client;

import static dev.tether.mqtt.internal.client.Arguments.positive;
import static dev.tether.mqtt.internal.client.Arguments.range;

import dev.tether.mqtt.IncomingOverflowPolicy;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.QueueFullPolicy;
import dev.tether.mqtt.internal.session.StateStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The builder's options for how messages flow once connected: the timeouts, the bounds of the
 * queues in both directions and what happens when one is full, the in-flight window and how
 * incoming messages are acknowledged. Held for {@code MqttClientBuilder}, which documents each;
 * every setter checks its argument at once.
 *
 * <pre>{@code
 * FlowOptions flow = new FlowOptions().maxQueuedIncoming(100).whenOutgoingQueueFull(QueueFullPolicy.FAIL);
 * }</pre>
 */
public final class FlowOptions {

    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration operationTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private int maxQueuedIncoming = 1000;
    private boolean manualAcknowledgement;
    private int maxQueuedOutgoing = 10_000;
    private int maxInFlight; // 0: the default of the protocol version
    private QueueFullPolicy outgoingQueueFull = QueueFullPolicy.BLOCK;
    private IncomingOverflowPolicy incomingOverflow = IncomingOverflowPolicy.BACKPRESSURE;
    private boolean queueQos0WhileDisconnected;

    /** Options as {@code MqttClientBuilder} starts with them. */
    public FlowOptions() {
    }

    public FlowOptions connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connect timeout");
        return this;
    }

    public FlowOptions operationTimeout(Duration timeout) {
        this.operationTimeout = positive(timeout, "operation timeout");
        return this;
    }

    public FlowOptions closeTimeout(Duration timeout) {
        if (Objects.requireNonNull(timeout, "close timeout").isNegative()) {
            throw new IllegalArgumentException("close timeout must not be negative, was " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    public FlowOptions maxQueuedIncoming(int messages) {
        this.maxQueuedIncoming = range(messages, 1, Integer.MAX_VALUE, "max queued incoming");
        return this;
    }

    public FlowOptions manualAcknowledgement(boolean manual) {
        this.manualAcknowledgement = manual;
        return this;
    }

    public FlowOptions maxQueuedOutgoing(int messages) {
        this.maxQueuedOutgoing = range(messages, 1, 65_000, "max queued outgoing");
        return this;
    }

    public FlowOptions maxInFlight(int messages) {
        this.maxInFlight = range(messages, 1, 65_535, "max in flight");
        return this;
    }

    public FlowOptions whenOutgoingQueueFull(QueueFullPolicy policy) {
        this.outgoingQueueFull = Objects.requireNonNull(policy, "policy");
        return this;
    }

    public FlowOptions incomingOverflow(IncomingOverflowPolicy policy) {
        this.incomingOverflow = Objects.requireNonNull(policy, "policy");
        return this;
    }

    public FlowOptions queueQos0WhileDisconnected(boolean queue) {
        this.queueQos0WhileDisconnected = queue;
        return this;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    int maxQueuedIncoming() {
        return maxQueuedIncoming;
    }

    /** {@return the session's options: these, and those of {@code connect} it needs} */
    ClientOptions clientOptions(ConnectOptions connect) {
        return new ClientOptions(connect.protocol(), connect.keepAlive(), operationTimeout, closeTimeout,
                maxQueuedIncoming, connect.enforcedReceiveMaximum(maxQueuedIncoming), connect.topicAliasMaximum(),
                manualAcknowledgement, incomingOverflow, queueQos0WhileDisconnected,
                connect.automaticSubscriptionIdentifiers(), new AtomicBoolean());
    }

    /** {@return the outgoing flows of a new client: bounded, with its policy and window} */
    OutboundFlows outboundFlows(StateStore store, ProtocolVersion protocol) {
        return new OutboundFlows(store, maxQueuedOutgoing, outgoingQueueFull,
                maxInFlight != 0 ? maxInFlight : protocol == ProtocolVersion.V5 ? 65_535 : 20);
    }
}
