package dev.tether.mqtt;

import dev.tether.mqtt.internal.codec.Connack;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Puback;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Pubrel;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.TopicSubscription;
import dev.tether.mqtt.internal.codec.Unsuback;
import dev.tether.mqtt.internal.codec.Unsubscribe;
import dev.tether.mqtt.internal.connection.Traffic;
import dev.tether.mqtt.internal.session.InboundFlow;
import dev.tether.mqtt.internal.session.MessageStream;
import dev.tether.mqtt.internal.session.StateStore;
import dev.tether.mqtt.internal.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol logic of one client across all its connections: subscriptions and the routing of
 * incoming messages to their streams, the in-order acknowledgement of incoming messages once the
 * application has them, the exactly-once state of incoming QoS 2 messages, and what happens when a
 * connection ends — reconnect and resume, or close for good. Outgoing flows live in
 * {@link OutboundFlows}; each connection and its per-connection state in a {@link Link}. Runs on
 * the links' reader threads and on the callers' threads; never calls user code.
 */
final class ClientSession {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");
    /** What a QoS 0 publish, and nearly every acknowledged one, results in. */
    private static final PublishResult SENT = new PublishResult(ReasonCode.SUCCESS, null, List.of());
    private static final Duration MINIMUM_CLOSE_DEADLINE = Duration.ofSeconds(1);

    /** A QoS 1/2 message that arrived before any stream wanted it, held unacknowledged. */
    private record Unclaimed(MqttMessage message, InboundFlow flow) {
    }

    private final ClientOptions options;
    private final boolean v5;
    private final StateStore store;
    private final OutboundFlows outbound;
    private final Traffic traffic;
    private final ConnectionEvents events;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    /** Incoming QoS 2 messages delivered, by packet identifier, until the broker's PUBREL: session state. */
    private final Map<Integer, InboundFlow> exactlyOnceReceived = new ConcurrentHashMap<>();
    /** Guards which streams exist and the messages no stream has claimed yet; never held while waiting on a stream. */
    private final ReentrantLock routingLock = new ReentrantLock();
    private final Condition unclaimedRoom = routingLock.newCondition();
    private final ArrayDeque<Unclaimed> unclaimed = new ArrayDeque<>();
    private volatile MessageStream<MqttMessage> allMessages;
    // Every subscription identifier each filter was subscribed with since it was last unsubscribed:
    // the broker tags a message with the identifier of its latest SUBSCRIBE to the filter that matched.
    private final Map<TopicFilter, Set<Integer>> identifiersByFilter = new ConcurrentHashMap<>();
    private final Replies replies = new Replies();
    private final LongAdder droppedIncoming = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    /** Guards the link, the state and the epochs; signalled when the state changes. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Link link;
    /** The latest link, kept after it is lost so close() can wait for its threads. */
    private volatile Link lastLink;
    private volatile ConnectionState state = ConnectionState.RECONNECTING;
    private volatile ConnectResult lastResult;
    private volatile String clientIdentifier;
    private volatile MqttException lastCause;
    private volatile MqttException failure;
    private Reconnector reconnector;
    private int epochs;

    ClientSession(ClientOptions options, StateStore store, OutboundFlows outbound, Traffic traffic,
                  ConnectionEvents events, String clientIdentifier) {
        this.options = options;
        this.v5 = options.protocol() == ProtocolVersion.V5;
        this.store = store;
        this.outbound = outbound;
        this.traffic = traffic;
        this.events = events;
        this.clientIdentifier = clientIdentifier;
    }

    /** Reconnects after a loss; without one, a lost connection closes the client. */
    void reconnectWith(Reconnector reconnector) {
        this.reconnector = reconnector;
    }

    /** Takes back what a durable store kept from an earlier run with this identifier. */
    void recover(StateStore.Recovered recovered) {
        outbound.recover(recovered);
        for (Integer packetId : recovered.incoming()) {
            exactlyOnceReceived.put(packetId, InboundFlow.recovered(packetId));
        }
    }

    private static ConnectResult connectResult(Connack connack, ClientOptions options, String clientIdentifier) {
        Properties p = connack.properties();
        long serverKeepAlive = p.integer(Property.SERVER_KEEP_ALIVE, -1);
        String assigned = p.string(Property.ASSIGNED_CLIENT_IDENTIFIER);
        return new ConnectResult(connack.sessionPresent(), assigned != null ? assigned : clientIdentifier,
                serverKeepAlive >= 0 ? Duration.ofSeconds(serverKeepAlive) : options.keepAlive(), // [MQTT-3.1.2-21]
                (int) p.integer(Property.RECEIVE_MAXIMUM, 65_535),
                Qos.of((int) p.integer(Property.MAXIMUM_QOS, 2)),
                p.integer(Property.RETAIN_AVAILABLE, 1) == 1,
                (int) Math.min(Integer.MAX_VALUE, p.integer(Property.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE)),
                (int) p.integer(Property.TOPIC_ALIAS_MAXIMUM, 0),
                p.integer(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1,
                options.protocol() == ProtocolVersion.V5 && p.integer(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1,
                p.integer(Property.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1);
    }

    ConnectResult connected() {
        return lastResult;
    }

    String clientIdentifier() {
        return clientIdentifier;
    }

    ConnectionState state() {
        return state;
    }

    Duration operationTimeout() {
        return options.operationTimeout();
    }

    // --- connections come and go ---

    /**
     * Makes an accepted connection the session's link. A resumed session gets its unacknowledged
     * flows again; a new one (the broker kept nothing) gets every open subscription again.
     */
    void attach(Connector.Accepted accepted, boolean reconnect) {
        Link newLink;
        stateLock.lock();
        try {
            if (ended.get() || options.isClosing()) {
                accepted.opened().connection().abandon();
                return;
            }
            ConnectResult result = connectResult(accepted.opened().connack(), options, clientIdentifier);
            newLink = new Link(accepted.opened().connection(), result, ++epochs, accepted.server().toString(), this);
            clientIdentifier = result.clientIdentifier();
            lastResult = result;
            if (!result.sessionPresent()) {
                forgetIncomingState();
            }
            link = newLink;
            lastLink = newLink;
            state = ConnectionState.CONNECTED;
            if (reconnect) {
                reconnects.increment();
            }
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
        newLink.connection.start(newLink, newLink.result.keepAlive());
        List<TopicFilter> resubscribed = newLink.result.sessionPresent() ? List.of() : resubscribe();
        outbound.attach(newLink);
        if (reconnect) {
            LOG.log(System.Logger.Level.INFO, "reconnected to {0}, session {1}{2}", newLink.server,
                    newLink.result.sessionPresent() ? "resumed" : "new", resubscribed.isEmpty() ? ""
                            : ", subscribed again to " + resubscribed);
        }
        stateLock.lock();
        try {
            // Under the lock that orders link changes: a link lost meanwhile announced its loss
            // already, and announcing it connected now would put the events out of order.
            if (link == newLink) {
                events.emit(new ConnectionEvent.Connected(newLink.server, newLink.result, reconnect, resubscribed));
            }
        } finally {
            stateLock.unlock();
        }
    }

    /** A new session: the broker forgot the incoming QoS 2 messages, so their identifiers mean new messages now. */
    private void forgetIncomingState() {
        for (Integer packetId : List.copyOf(exactlyOnceReceived.keySet())) {
            exactlyOnceReceived.remove(packetId);
            try {
                store.incomingReleased(packetId);
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.WARNING, "session store: {0}", e.getMessage());
            }
        }
    }

    /**
     * Subscribes every open subscription again, as it was asked for, because the broker started a
     * new session without them. A refusal fails that subscription's stream with the reason.
     */
    private List<TopicFilter> resubscribe() {
        List<TopicFilter> filters = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
            if (!subscription.isGranted()) {
                continue; // its own SUBSCRIBE is still queued and goes out on this link
            }
            filters.addAll(subscription.filters());
            try {
                outbound.control(subscribePacket(subscription.request(), subscription.identifier()))
                        .thenAccept(reply -> {
                            Suback suback = (Suback) reply;
                            for (ReasonCode code : suback.reasonCodes()) {
                                if (code.isError()) {
                                    subscription.stream().fail(new MqttException(code, "the broker refused to subscribe again to "
                                            + subscription.filters() + " after it started a new session: " + code.describe()));
                                    return;
                                }
                            }
                        });
            } catch (MqttException e) {
                subscription.stream().fail(e);
            }
        }
        if (replies.isSubscribed()) {
            String topic = replies.topic(clientIdentifier);
            filters.add(TopicFilter.of(topic));
            try {
                outbound.control(new Subscribe(1, List.of(new TopicSubscription(topic, Qos.AT_LEAST_ONCE)), Properties.EMPTY));
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.WARNING, "could not subscribe again to the reply topic: {0}", e.getMessage());
            }
        }
        return filters;
    }

    /** The link's connection ended: reconnect, or end the session. */
    void linkClosed(Link closed, MqttException cause) {
        stateLock.lock();
        try {
            if (link != closed) {
                return;
            }
            link = null;
            if (cause != null) {
                lastCause = cause;
            }
            if (reconnects(cause)) {
                state = ConnectionState.RECONNECTING;
                stateChanged.signalAll();
            }
            if (cause != null && !options.isClosing()) {
                events.emit(new ConnectionEvent.Lost(cause));
            }
        } finally {
            stateLock.unlock();
        }
        outbound.detach(closed);
        if (cause == null || options.isClosing()) {
            end(null);
        } else if (!reconnects(cause)) {
            end(cause);
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection to {0} lost, reconnecting: {1}", closed.server, cause.getMessage());
            reconnector.start(cause);
        }
    }

    /**
     * Whether a loss is followed by reconnecting: not when reconnecting is off or the client is
     * closing, and not when another client took the session over (MQTT 5 reason 0x8E) — taking
     * it back would throw that client out in turn, forever.
     */
    private boolean reconnects(MqttException cause) {
        return cause != null && reconnector != null && !options.isClosing()
                && cause.reasonCode() != ReasonCode.SESSION_TAKEN_OVER;
    }

    void reconnecting(int attempt, Duration delay, Endpoint server) {
        events.emit(new ConnectionEvent.Reconnecting(attempt, delay, server.toString()));
    }

    /**
     * Waits until the client is connected.
     *
     * @throws MqttException if it is closed, or not connected within {@code timeout}
     */
    void awaitConnected(Duration timeout) throws MqttException {
        long remaining = timeout.toNanos();
        stateLock.lock();
        try {
            while (state != ConnectionState.CONNECTED) {
                if (state == ConnectionState.CLOSED) {
                    throw failure != null ? failure : new MqttException(ReasonCode.UNSPECIFIED_ERROR, "the client is closed");
                }
                if (remaining <= 0) {
                    MqttException cause = lastCause;
                    throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "not connected within " + timeout
                            + (cause == null ? "" : "; the connection was lost: " + cause.getMessage()), cause);
                }
                remaining = stateChanged.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "interrupted while waiting for the connection", e);
        } finally {
            stateLock.unlock();
        }
    }

    // --- publishing ---

    CompletableFuture<PublishResult> publish(MqttMessage message) {
        try {
            checkUsable();
            ConnectResult limits = lastResult;
            if (message.qos().code() > limits.maximumQos().code()) { // [MQTT-3.2.2-11]
                throw new MqttException(ReasonCode.QOS_NOT_SUPPORTED, "the broker accepts QoS " + limits.maximumQos().code()
                        + " at most, the message asks for QoS " + message.qos().code());
            }
            if (message.isRetain() && !limits.retainAvailable()) { // [MQTT-3.2.2-14]
                throw new MqttException(ReasonCode.RETAIN_NOT_SUPPORTED, "the broker does not accept retained messages");
            }
            if (message.qos() == Qos.AT_MOST_ONCE) {
                return publishAtMostOnce(message);
            }
            return outbound.publish(Messages.toPublish(message, 1, v5), options.operationTimeout())
                    .thenApply(ClientSession::publishResult);
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** QoS 0 goes out at once; while reconnecting it fails at once, unless the user chose to queue it. */
    private CompletableFuture<PublishResult> publishAtMostOnce(MqttMessage message) throws MqttException {
        Publish publish = Messages.toPublish(message, 0, v5);
        Link current = link;
        if (current == null && options.queueQos0WhileDisconnected()) {
            return outbound.publish(publish, options.operationTimeout())
                    .thenApply(sent -> SENT);
        }
        if (current == null) {
            MqttException cause = lastCause;
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "not connected, reconnecting: a QoS 0 message is not queued"
                    + " (see MqttClientBuilder.queueQos0WhileDisconnected)"
                    + (cause == null ? "" : "; the connection was lost: " + cause.getMessage()), cause);
        }
        current.send(publish, true);
        return CompletableFuture.completedFuture(SENT);
    }

    /** The broker's answer to a QoS 1/2 publish; a refusal fails the publish's future. */
    private static PublishResult publishResult(Packet reply) {
        ReasonCode code;
        Properties properties;
        if (reply instanceof Puback puback) {
            code = puback.reasonCode();
            properties = puback.properties();
        } else if (reply instanceof Pubrec pubrec) {
            code = pubrec.reasonCode();
            properties = pubrec.properties();
        } else {
            Pubcomp pubcomp = (Pubcomp) reply;
            code = pubcomp.reasonCode();
            properties = pubcomp.properties();
        }
        String reason = properties.string(Property.REASON_STRING);
        if (code.isError()) {
            throw new CompletionException(new MqttException(code, "the broker refused the message: "
                    + code.describe() + (reason == null ? "" : ": " + reason)));
        }
        if (code == ReasonCode.SUCCESS && properties.isEmpty()) {
            return SENT; // nearly every answer, and the result is immutable
        }
        return new PublishResult(code, reason, properties.userProperties());
    }

    // --- subscribing ---

    CompletableFuture<Subscription> subscribe(SubscribeRequest request) {
        try {
            checkUsable();
            checkSupported(request);
            int subscriptionId = lastResult.subscriptionIdentifiersAvailable() ? subscriptionIds.incrementAndGet() : 0;
            MessageStream<MqttMessage> stream = newStream();
            Subscription subscription = new Subscription(this, request, subscriptionId, stream);
            if (subscriptionId != 0) {
                for (TopicFilter filter : request.filters()) {
                    identifiersByFilter.computeIfAbsent(filter, f -> ConcurrentHashMap.newKeySet()).add(subscriptionId);
                }
            }
            // Registered before SUBSCRIBE goes out, so retained messages that follow it are kept.
            routingLock.lock();
            try {
                subscriptions.add(subscription);
                claimUnclaimed(stream, subscription::matches);
            } finally {
                routingLock.unlock();
            }
            CompletableFuture<Packet> reply;
            try {
                reply = outbound.control(subscribePacket(request, subscriptionId));
            } catch (MqttException | RuntimeException e) {
                subscriptions.remove(subscription);
                throw e;
            }
            return reply.thenCompose(packet -> {
                Suback suback = (Suback) packet;
                String reason = suback.properties().string(Property.REASON_STRING);
                for (int i = 0; i < suback.reasonCodes().size(); i++) {
                    ReasonCode code = suback.reasonCodes().get(i);
                    if (code.isError()) {
                        subscriptions.remove(subscription);
                        stream.close();
                        unsubscribeGranted(request.filters(), suback.reasonCodes());
                        return CompletableFuture.failedFuture(new MqttException(code, "the broker refused the subscription to '"
                                + request.filters().get(Math.min(i, request.filters().size() - 1)) + "': " + code.describe()
                                + (reason == null ? "" : ": " + reason)));
                    }
                }
                subscription.granted(new SubscribeResult(suback.reasonCodes(), reason));
                return CompletableFuture.completedFuture(subscription);
            }).whenComplete((s, e) -> {
                if (e != null) {
                    subscriptions.remove(subscription);
                    stream.close();
                }
            });
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private MessageStream<MqttMessage> newStream() {
        return new MessageStream<>(options.maxQueuedIncoming(), !options.manualAcknowledgement(), options.incomingOverflow(),
                droppedIncoming);
    }

    private static Subscribe subscribePacket(SubscribeRequest request, int subscriptionId) {
        List<TopicSubscription> entries = new ArrayList<>();
        for (SubscribeRequest.Entry entry : request.entries()) {
            entries.add(new TopicSubscription(entry.filter().filter(), entry.qos(), entry.noLocal(),
                    entry.retainAsPublished(), entry.retainHandling()));
        }
        Properties properties = subscriptionId == 0 ? Properties.EMPTY
                : Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, subscriptionId).build();
        return new Subscribe(1, entries, properties);
    }

    /**
     * A SUBSCRIBE the broker refused in part is reported as refused, so the filters it granted
     * must not stay subscribed on the broker, delivering messages nobody asked for: unsubscribes
     * those no open subscription uses. Does not wait for the UNSUBACK.
     */
    private void unsubscribeGranted(List<TopicFilter> filters, List<ReasonCode> codes) {
        List<String> granted = new ArrayList<>();
        for (int i = 0; i < Math.min(filters.size(), codes.size()); i++) {
            TopicFilter filter = filters.get(i);
            if (!codes.get(i).isError() && subscriptions.stream().noneMatch(other -> other.filters().contains(filter))) {
                granted.add(filter.filter());
            }
        }
        unsubscribeFilters(granted).exceptionally(e -> {
            LOG.log(System.Logger.Level.DEBUG, "unsubscribe of the granted filters {0} failed: {1}", granted, e.toString());
            return null;
        });
    }

    /** What the broker said it does not support fails here, before anything is sent. */
    private void checkSupported(SubscribeRequest request) throws MqttException {
        for (SubscribeRequest.Entry entry : request.entries()) {
            TopicFilter filter = entry.filter();
            if (filter.hasWildcards() && !lastResult.wildcardSubscriptionAvailable()) {
                throw new MqttException(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                        "the broker does not support wildcard subscriptions: " + filter);
            }
            if (filter.isShared() && !lastResult.sharedSubscriptionAvailable()) {
                throw new MqttException(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                        "the broker does not support shared subscriptions: " + filter);
            }
            if (!v5 && (entry.noLocal() || entry.retainAsPublished() || entry.retainHandling() != 0)) {
                throw new IllegalArgumentException("subscription options other than QoS need MQTT 5: " + filter);
            }
        }
    }

    /** Unsubscribes the filters no other open subscription still uses, and ends the subscription's stream. */
    CompletableFuture<Void> unsubscribe(Subscription subscription) {
        if (!subscriptions.remove(subscription)) {
            return CompletableFuture.completedFuture(null);
        }
        subscription.stream().close();
        List<String> filters = new ArrayList<>();
        for (TopicFilter filter : subscription.filters()) {
            boolean stillUsed = subscriptions.stream().anyMatch(other -> other.filters().contains(filter));
            if (!stillUsed) {
                filters.add(filter.filter());
            }
        }
        return unsubscribeFilters(filters);
    }

    CompletableFuture<Void> unsubscribeFilters(List<String> filters) {
        if (filters.isEmpty() || ended.get() || options.isClosing()) {
            return CompletableFuture.completedFuture(null);
        }
        for (String filter : filters) {
            identifiersByFilter.remove(TopicFilter.of(filter));
        }
        try {
            return outbound.control(new Unsubscribe(1, filters, Properties.EMPTY)).thenCompose(packet -> {
                Unsuback unsuback = (Unsuback) packet;
                for (ReasonCode code : unsuback.reasonCodes()) {
                    if (code.isError()) {
                        return CompletableFuture.failedFuture(new MqttException(code,
                                "the broker refused to unsubscribe " + filters + ": " + code.describe()));
                    }
                }
                return CompletableFuture.completedFuture(null);
            });
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // --- request/response (MQTT 5) ---

    /**
     * Publishes {@code request} with this client's response topic and fresh correlation data, and
     * completes with the reply. The reply topic is subscribed once per client, on first use.
     */
    CompletableFuture<MqttMessage> request(MqttMessage request, Duration timeout) {
        if (!v5) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "request/response needs MQTT 5 (response topic and correlation data)"));
        }
        try {
            checkUsable();
            String replyTopic = replies.topic(clientIdentifier);
            if (replies.needsSubscription()) {
                Packet suback = outbound.control(new Subscribe(1, List.of(new TopicSubscription(replyTopic, Qos.AT_LEAST_ONCE)),
                        Properties.EMPTY)).get(options.operationTimeout().toNanos(), TimeUnit.NANOSECONDS);
                if (((Suback) suback).reasonCodes().get(0).isError()) {
                    replies.subscriptionFailed();
                    throw new MqttException(((Suback) suback).reasonCodes().get(0),
                            "the broker refused the reply subscription to " + replyTopic);
                }
            }
            Replies.Pending pending = replies.expect(timeout);
            MqttMessage withReplyTo = request.toBuilder().responseTopic(replyTopic)
                    .correlationData(pending.correlationData()).build();
            return publish(withReplyTo).thenCompose(result -> pending.reply());
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        } catch (java.util.concurrent.ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            return CompletableFuture.failedFuture(new MqttException(ReasonCode.UNSPECIFIED_ERROR,
                    "no SUBACK for the reply subscription within " + options.operationTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    MessageStream<MqttMessage> allMessages() {
        routingLock.lock();
        try {
            if (allMessages == null) {
                allMessages = newStream();
                claimUnclaimed(allMessages, topic -> true);
                if (failure != null) {
                    allMessages.fail(failure);
                } else if (ended.get()) {
                    allMessages.close();
                }
            }
            return allMessages;
        } finally {
            routingLock.unlock();
        }
    }

    // --- incoming packets (a link's reader thread) ---

    void received(Packet packet, Link from) throws MqttException, InterruptedException {
        switch (packet) {
            case Publish publish -> receivePublish(publish, from);
            case Pubrel pubrel -> {
                boolean known = exactlyOnceReceived.remove(pubrel.packetId()) != null;
                if (known) {
                    store.incomingReleased(pubrel.packetId());
                }
                from.send(known || !v5 ? new Pubcomp(pubrel.packetId())
                        : new Pubcomp(pubrel.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), false);
            }
            case Puback puback -> outbound.answer(puback, puback.packetId(), from);
            case Pubrec pubrec -> outbound.answer(pubrec, pubrec.packetId(), from);
            case Pubcomp pubcomp -> outbound.answer(pubcomp, pubcomp.packetId(), from);
            case Suback suback -> outbound.answer(suback, suback.packetId(), from);
            case Unsuback unsuback -> outbound.answer(unsuback, unsuback.packetId(), from);
            default -> throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "a client does not expect " + packet.type() + " from the broker");
        }
    }

    private void receivePublish(Publish publish, Link from) throws MqttException, InterruptedException {
        String topic = resolveAlias(publish, from);
        if (publish.qos() == Qos.EXACTLY_ONCE) {
            InboundFlow earlier = exactlyOnceReceived.get(publish.packetId());
            if (earlier != null) {
                // Already delivered, PUBREL not yet here: deliver it only once [MQTT-4.3.3-10]. If the
                // application has the first copy, PUBREC goes now; otherwise it follows when it takes it.
                if (earlier.isDone()) {
                    from.send(new Pubrec(publish.packetId()), false);
                    earlier.acknowledged();
                }
                return;
            }
        }
        MqttMessage message;
        try {
            message = Messages.toMessage(publish, topic);
        } catch (IllegalArgumentException e) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "PUBLISH to '" + topic + "': " + e.getMessage());
        }
        InboundFlow flow = publish.qos() == Qos.AT_MOST_ONCE ? null
                : from.acknowledgements.start(publish.packetId(), publish.qos() == Qos.EXACTLY_ONCE);
        if (flow != null && flow.exactlyOnce()) {
            exactlyOnceReceived.put(publish.packetId(), flow);
        }
        if (flow != null && options.manualAcknowledgement()) {
            message = message.withAcknowledgement(flow::taken);
        }
        if (replies.complete(message)) {
            if (flow != null) {
                flow.routed(); // the reply is handed to its request: the application has it
            }
            return;
        }
        try {
            route(message, flow);
        } finally {
            if (flow != null) {
                flow.routed();
            }
        }
    }

    private String resolveAlias(Publish publish, Link from) throws MqttProtocolException {
        long alias = publish.properties().integer(Property.TOPIC_ALIAS, 0);
        if (alias == 0) {
            return publish.topic();
        }
        if (alias > options.topicAliasMaximum()) { // [MQTT-3.3.2-9]
            throw new MqttProtocolException(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias
                    + " exceeds the client's topic alias maximum of " + options.topicAliasMaximum());
        }
        if (!publish.topic().isEmpty()) {
            from.inboundAliases.put((int) alias, publish.topic());
            return publish.topic();
        }
        String topic = from.inboundAliases.get((int) alias);
        if (topic == null) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
        }
        return topic;
    }

    /**
     * Puts the message into every stream that wants it, once each: the subscriptions whose
     * identifier it carries (or, without identifiers, whose filters match), and the stream of
     * all messages if it was opened. A QoS 1/2 message that no stream wants yet is held,
     * unacknowledged, until a subscription or {@code messages()} claims it: on a resumed session
     * the broker sends what it kept before the application could subscribe again, and
     * acknowledging such a message would lose it. QoS 0 messages nobody wants are dropped.
     */
    private void route(MqttMessage message, InboundFlow flow) throws InterruptedException {
        // Nearly always one stream wants the message: no list unless a second one does too.
        MessageStream<MqttMessage> first = null;
        List<MessageStream<MqttMessage>> more = null;
        routingLock.lock();
        try {
            List<Integer> ids = message.subscriptionIdentifiers();
            for (Subscription subscription : subscriptions) {
                boolean wanted = !ids.isEmpty() && subscription.identifier() != 0
                        ? sentFor(subscription, message.topic(), ids)
                        : subscription.matches(message.topic());
                if (wanted) {
                    if (first == null) {
                        first = subscription.stream();
                    } else {
                        more = more == null ? new ArrayList<>(2) : more;
                        more.add(subscription.stream());
                    }
                }
            }
            if (allMessages != null) {
                if (first == null) {
                    first = allMessages;
                } else {
                    more = more == null ? new ArrayList<>(2) : more;
                    more.add(allMessages);
                }
            }
            if (first == null) {
                if (flow == null) {
                    LOG.log(System.Logger.Level.DEBUG, "QoS 0 message on {0} dropped: no stream wants it", message.topic());
                    return;
                }
                // Bounded: past maxQueuedIncoming the reader waits, which is TCP backpressure.
                while (unclaimed.size() >= options.maxQueuedIncoming() && !ended.get() && !options.isClosing()) {
                    unclaimedRoom.await();
                }
                flow.hold();
                unclaimed.add(new Unclaimed(message, flow));
                return;
            }
        } finally {
            routingLock.unlock();
        }
        // Outside the lock: a full stream makes the reader wait here for its consumer.
        first.put(message, flow);
        if (more != null) {
            for (MessageStream<MqttMessage> target : more) {
                target.put(message, flow);
            }
        }
    }

    /** Moves held messages that {@code stream} wants into it, in arrival order; called under the routing lock. */
    private void claimUnclaimed(MessageStream<MqttMessage> stream, java.util.function.Predicate<Topic> wants) {
        var iterator = unclaimed.iterator();
        while (iterator.hasNext()) {
            Unclaimed held = iterator.next();
            if (wants.test(held.message.topic())) {
                if (!stream.offer(held.message, held.flow)) {
                    return; // full: the rest stays held, in order
                }
                iterator.remove();
                held.flow.released();
                unclaimedRoom.signalAll();
            }
        }
    }

    /**
     * Whether a message tagged with {@code ids} was sent for one of the subscription's filters.
     * A SUBSCRIBE to a filter the broker already has replaces that subscription and its
     * identifier [MQTT-3.8.4-3], so the message may carry the identifier of another Subscription
     * to the same filter, even a closed one: any identifier the filter was subscribed with counts.
     */
    private boolean sentFor(Subscription subscription, Topic topic, List<Integer> ids) {
        List<TopicFilter> filters = subscription.filters();
        for (int f = 0; f < filters.size(); f++) {
            TopicFilter filter = filters.get(f);
            Set<Integer> identifiers = identifiersByFilter.get(filter);
            if (identifiers != null && filter.matches(topic)) {
                for (int i = 0; i < ids.size(); i++) {
                    if (identifiers.contains(ids.get(i))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Sends the PUBACK or PUBREC of a message the application now has [MQTT-4.3.2-4, MQTT-4.3.3-8],
     * in the order the messages came on {@code from}. A QoS 1 message that came on a link since
     * replaced is not acknowledged: the resumed session sends it again. A QoS 2 one is, on the
     * current link, after its identifier is stored: the broker waits for that PUBREC.
     */
    void acknowledge(InboundFlow flow, Link from) {
        Link current = link;
        try {
            if (flow.exactlyOnce()) {
                if (exactlyOnceReceived.get(flow.packetId()) != flow) {
                    return; // a new session began since: the identifier means another message now
                }
                store.incomingReceived(flow.packetId());
                if (current != null) {
                    current.send(new Pubrec(flow.packetId()), false);
                    flow.acknowledged();
                }
            } else if (current == from) {
                from.send(new Puback(flow.packetId()), false);
                flow.acknowledged();
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "acknowledgement of packet {0} not sent: {1}", flow.packetId(), e.getMessage());
        }
    }

    // --- the end ---

    /**
     * Closes: stops reconnecting, waits for publishes in flight as long as {@code timeout} when
     * connected, then disconnects. Flows still unfinished fail with an exception saying so.
     */
    void close(Duration timeout, boolean withWill) {
        if (reconnector != null) {
            reconnector.stop(timeout);
        }
        Link current = link;
        if (current != null) {
            // Each step below waits at most the timeout, unless a write is stuck on a full socket:
            // then the deadline closes the socket under it. At least a second, so that a close
            // timeout of zero ("do not wait for publishes") still lets the DISCONNECT out, and the
            // broker does not publish the will.
            Duration twice = timeout.multipliedBy(2);
            ScheduledFuture<?> deadline = current.connection.closeAfter(twice.compareTo(MINIMUM_CLOSE_DEADLINE) < 0
                    ? MINIMUM_CLOSE_DEADLINE : twice);
            try {
                outbound.awaitPublishesDone(timeout);
                current.connection.close(withWill ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY)
                        : Disconnect.NORMAL, timeout);
            } finally {
                deadline.cancel(false);
            }
        } else if (lastLink != null) {
            lastLink.connection.close(null, timeout); // lost already: only waits for its threads to end
        }
        end(null);
    }

    /** Ends the session once: fails what is unfinished, ends the streams, tells the listeners. */
    private void end(MqttException cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        stateLock.lock();
        try {
            failure = cause;
            state = ConnectionState.CLOSED;
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
        MqttException reason = cause != null ? cause
                : new MqttException(ReasonCode.UNSPECIFIED_ERROR, "the client was closed before the operation completed"
                        + (store instanceof dev.tether.mqtt.internal.session.MemoryStateStore ? ""
                        : "; an unacknowledged publish stays in the session store and is sent again by the next client"
                        + " with this identifier"));
        outbound.failAll(reason);
        List<MessageStream<MqttMessage>> streams = new ArrayList<>();
        subscriptions.forEach(subscription -> streams.add(subscription.stream()));
        routingLock.lock();
        try {
            if (allMessages != null) {
                streams.add(allMessages);
            }
            unclaimed.clear(); // the session is over: nothing held can be acknowledged any more
            unclaimedRoom.signalAll();
        } finally {
            routingLock.unlock();
        }
        for (MessageStream<MqttMessage> stream : streams) {
            if (cause != null) {
                stream.fail(cause);
            } else {
                stream.close();
            }
        }
        store.close();
        events.emit(new ConnectionEvent.Closed(cause));
    }

    boolean threadsEnded() {
        Link latest = lastLink;
        return (latest == null || latest.connection.threadsEnded()) && (reconnector == null || reconnector.ended());
    }

    private void checkUsable() throws MqttException {
        if (options.isClosing() || (ended.get() && failure == null)) {
            throw new IllegalStateException("client is closed");
        }
        MqttException lost = failure;
        if (lost != null) {
            throw new MqttException(lost.reasonCode(), "the connection is lost: " + lost.getMessage(), lost);
        }
    }

    // --- metrics ---

    ClientMetrics metrics() {
        int queuedIncoming = 0;
        for (Subscription subscription : subscriptions) {
            queuedIncoming += subscription.stream().size();
        }
        MessageStream<MqttMessage> all = allMessages;
        if (all != null) {
            queuedIncoming += all.size();
        }
        routingLock.lock();
        try {
            queuedIncoming += unclaimed.size();
        } finally {
            routingLock.unlock();
        }
        var latency = outbound.latency();
        return new ClientMetrics(traffic.publishesSent(), traffic.publishesReceived(), traffic.bytesSent(),
                traffic.bytesReceived(), outbound.inFlight(), outbound.queued(), queuedIncoming, droppedIncoming.sum(),
                reconnects.sum(), latency.count(), Duration.ofNanos(latency.quantile(0.5)),
                Duration.ofNanos(latency.quantile(0.99)), Duration.ofNanos(latency.maximum()));
    }

    ConnectionEvents events() {
        return events;
    }

    /** MQTT 5 re-authentication on the current connection: the connection runs the exchange with its authenticator. */
    void reauthenticate(Duration timeout) throws MqttException {
        Link current = link;
        if (current == null) {
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "not connected: re-authentication needs a connection");
        }
        current.connection.reauthenticate(timeout);
    }
}
