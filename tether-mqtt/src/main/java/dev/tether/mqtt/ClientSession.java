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
import dev.tether.mqtt.internal.connection.MqttConnection;
import dev.tether.mqtt.internal.connection.PacketListener;
import dev.tether.mqtt.internal.session.InboundAcknowledgements;
import dev.tether.mqtt.internal.session.InboundFlow;
import dev.tether.mqtt.internal.session.MessageStream;
import dev.tether.mqtt.internal.session.PacketIdentifiers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol logic of one client: outgoing flows and their flow control, subscriptions and the
 * routing of incoming messages to their streams, and the in-order acknowledgement of incoming
 * messages once the application has them. Runs on the connection's reader thread and on the
 * callers' threads; never calls user code.
 */
final class ClientSession implements PacketListener {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");

    /** A QoS 1/2 message that arrived before any stream wanted it, held unacknowledged. */
    private record Unclaimed(MqttMessage message, InboundFlow flow) {
    }

    /** What a packet identifier in use is waiting for. */
    private record OutboundFlow(Packet request, CompletableFuture<Packet> reply, boolean holdsInflightSlot) {
    }

    private final MqttConnection connection;
    private final ConnectResult connected;
    private final ClientOptions options;
    private final boolean v5;
    private final PacketIdentifiers packetIds = new PacketIdentifiers();
    private final Semaphore inflight;
    private final Map<Integer, OutboundFlow> outbound = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    private final InboundAcknowledgements acknowledgements;
    private final Map<Integer, InboundFlow> exactlyOnceReceived = new ConcurrentHashMap<>();
    private final Map<Integer, String> inboundAliases = new HashMap<>();
    private final TopicAliases outboundAliases;
    /** Guards which streams exist and the messages no stream has claimed yet; never held while waiting on a stream. */
    private final ReentrantLock routingLock = new ReentrantLock();
    private final Condition unclaimedRoom = routingLock.newCondition();
    private final ArrayDeque<Unclaimed> unclaimed = new ArrayDeque<>();
    private volatile MessageStream<MqttMessage> allMessages;
    // Every subscription identifier each filter was subscribed with since it was last unsubscribed:
    // the broker tags a message with the identifier of its latest SUBSCRIBE to the filter that matched.
    private final Map<TopicFilter, Set<Integer>> identifiersByFilter = new ConcurrentHashMap<>();
    private volatile MqttException failure;
    private final Replies replies = new Replies();

    ClientSession(MqttConnection connection, Connack connack, ClientOptions options, String clientIdentifier) {
        this.connection = connection;
        this.options = options;
        this.v5 = options.protocol() == ProtocolVersion.V5;
        this.connected = connectResult(connack, options, clientIdentifier);
        this.inflight = new Semaphore(connected.receiveMaximum());
        this.outboundAliases = new TopicAliases(connected.topicAliasMaximum());
        this.acknowledgements = new InboundAcknowledgements(this::acknowledge);
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
        return connected;
    }

    Duration operationTimeout() {
        return options.operationTimeout();
    }

    // --- publishing ---

    CompletableFuture<PublishResult> publish(MqttMessage message) {
        try {
            checkUsable();
            if (message.qos().code() > connected.maximumQos().code()) { // [MQTT-3.2.2-11]
                throw new MqttException(ReasonCode.QOS_NOT_SUPPORTED, "the broker accepts QoS " + connected.maximumQos().code()
                        + " at most, the message asks for QoS " + message.qos().code());
            }
            if (message.isRetain() && !connected.retainAvailable()) { // [MQTT-3.2.2-14]
                throw new MqttException(ReasonCode.RETAIN_NOT_SUPPORTED, "the broker does not accept retained messages");
            }
            if (message.qos() == Qos.AT_MOST_ONCE) {
                connection.send(Messages.toPublish(message, 0, v5), this::withAlias);
                return CompletableFuture.completedFuture(new PublishResult(ReasonCode.SUCCESS, null, List.of()));
            }
            Publish publish = Messages.toPublish(message, 1, v5);
            return send(publish, true).thenCompose(reply -> publishResult(reply));
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletableFuture<PublishResult> publishResult(Packet reply) {
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
            return CompletableFuture.failedFuture(new MqttException(code, "the broker refused the message: "
                    + code.describe() + (reason == null ? "" : ": " + reason)));
        }
        return CompletableFuture.completedFuture(new PublishResult(code, reason, properties.userProperties()));
    }

    /**
     * Sends a packet that needs a packet identifier and returns its reply. A QoS 1/2 PUBLISH first
     * waits (bounded) for a slot under the broker's Receive Maximum [MQTT-3.3.4-7].
     */
    private CompletableFuture<Packet> send(Packet request, boolean isPublish) throws MqttException {
        if (isPublish) {
            acquireInflightSlot();
        }
        int packetId = packetIds.acquire();
        Packet withId = withPacketId(request, packetId);
        OutboundFlow flow = new OutboundFlow(withId, new CompletableFuture<>(), isPublish);
        outbound.put(packetId, flow);
        try {
            checkUsable();
            connection.send(withId, isPublish ? this::withAlias : p -> p);
        } catch (MqttException | RuntimeException e) {
            finish(packetId);
            throw e;
        }
        return flow.reply;
    }

    /** Called under the connection's write lock: see {@link TopicAliases}. */
    private Packet withAlias(Packet packet) {
        return outboundAliases.apply(packet, connection::fits);
    }

    private void acquireInflightSlot() throws MqttException {
        try {
            if (!inflight.tryAcquire(options.operationTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MqttException(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "no publish slot became free within "
                        + options.operationTimeout() + ": the broker's receive maximum of " + connected.receiveMaximum()
                        + " messages are all awaiting acknowledgement");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "interrupted while waiting for a publish slot", e);
        }
    }

    private static Packet withPacketId(Packet packet, int packetId) {
        return switch (packet) {
            case Publish p -> new Publish(p.topic(), p.payload(), p.qos(), p.retain(), false, packetId, p.properties());
            case Subscribe p -> new Subscribe(packetId, p.subscriptions(), p.properties());
            case Unsubscribe p -> new Unsubscribe(packetId, p.filters(), p.properties());
            default -> throw new IllegalArgumentException(packet.type() + " has no packet identifier");
        };
    }

    /** Ends a flow: frees its packet identifier and, for a publish, its slot. */
    private OutboundFlow finish(int packetId) {
        OutboundFlow flow = outbound.remove(packetId);
        if (flow != null) {
            packetIds.release(packetId);
            if (flow.holdsInflightSlot) {
                inflight.release();
            }
        }
        return flow;
    }

    /** Waits until no publish awaits acknowledgement, at most {@code timeout}. */
    void awaitInflight(Duration timeout) {
        List<CompletableFuture<Packet>> pending = new ArrayList<>();
        outbound.values().forEach(flow -> {
            if (flow.holdsInflightSlot) {
                pending.add(flow.reply);
            }
        });
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "not all publishes completed before close: {0}", e.toString());
        }
    }

    // --- subscribing ---

    CompletableFuture<Subscription> subscribe(SubscribeRequest request) {
        try {
            checkUsable();
            checkSupported(request);
            int subscriptionId = connected.subscriptionIdentifiersAvailable() ? subscriptionIds.incrementAndGet() : 0;
            MessageStream<MqttMessage> stream = new MessageStream<>(options.maxQueuedIncoming(), !options.manualAcknowledgement());
            Subscription subscription = new Subscription(this, request.filters(), subscriptionId, stream);
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
            List<TopicSubscription> entries = new ArrayList<>();
            for (SubscribeRequest.Entry entry : request.entries()) {
                entries.add(new TopicSubscription(entry.filter().filter(), entry.qos(), entry.noLocal(),
                        entry.retainAsPublished(), entry.retainHandling()));
            }
            Properties properties = subscriptionId == 0 ? Properties.EMPTY
                    : Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, subscriptionId).build();
            CompletableFuture<Packet> reply;
            try {
                reply = send(new Subscribe(1, entries, properties), false);
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
            if (filter.hasWildcards() && !connected.wildcardSubscriptionAvailable()) {
                throw new MqttException(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                        "the broker does not support wildcard subscriptions: " + filter);
            }
            if (filter.isShared() && !connected.sharedSubscriptionAvailable()) {
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
        if (filters.isEmpty() || failure != null || options.isClosing()) {
            return CompletableFuture.completedFuture(null);
        }
        for (String filter : filters) {
            identifiersByFilter.remove(TopicFilter.of(filter));
        }
        try {
            return send(new Unsubscribe(1, filters, Properties.EMPTY), false).thenCompose(packet -> {
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
            String replyTopic = replies.topic(connected.clientIdentifier());
            if (replies.needsSubscription()) {
                Packet suback = send(new Subscribe(1, List.of(new TopicSubscription(replyTopic, Qos.AT_LEAST_ONCE)),
                        Properties.EMPTY), false).get(options.operationTimeout().toNanos(), TimeUnit.NANOSECONDS);
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
                allMessages = new MessageStream<>(options.maxQueuedIncoming(), !options.manualAcknowledgement());
                claimUnclaimed(allMessages, topic -> true);
                if (failure != null) {
                    allMessages.fail(failure);
                } else if (options.isClosing()) {
                    allMessages.close();
                }
            }
            return allMessages;
        } finally {
            routingLock.unlock();
        }
    }

    // --- incoming packets (reader thread) ---

    @Override
    public void received(Packet packet) throws MqttException, InterruptedException {
        switch (packet) {
            case Publish publish -> receivePublish(publish);
            case Pubrel pubrel -> {
                boolean known = exactlyOnceReceived.remove(pubrel.packetId()) != null;
                connection.send(known || !v5 ? new Pubcomp(pubrel.packetId())
                        : new Pubcomp(pubrel.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
            }
            case Puback puback -> complete(puback.packetId(), puback);
            case Pubrec pubrec -> {
                if (pubrec.reasonCode().isError()) {
                    complete(pubrec.packetId(), pubrec); // a refused QoS 2 message ends here [MQTT-4.3.3-9]
                } else {
                    connection.send(new Pubrel(pubrec.packetId())); // [MQTT-4.3.3-4]
                }
            }
            case Pubcomp pubcomp -> complete(pubcomp.packetId(), pubcomp);
            case Suback suback -> complete(suback.packetId(), suback);
            case Unsuback unsuback -> complete(unsuback.packetId(), unsuback);
            default -> throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "a client does not expect " + packet.type() + " from the broker");
        }
    }

    private void complete(int packetId, Packet reply) throws MqttProtocolException {
        OutboundFlow flow = outbound.get(packetId);
        if (flow == null || !answers(flow.request, reply)) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, reply.type() + " for packet identifier "
                    + packetId + ", which no " + expectedRequest(reply) + " is waiting for");
        }
        finish(packetId);
        flow.reply.complete(reply);
    }

    private static boolean answers(Packet request, Packet reply) {
        return switch (reply) {
            case Puback p -> request instanceof Publish publish && publish.qos() == Qos.AT_LEAST_ONCE;
            case Pubrec p -> request instanceof Publish publish && publish.qos() == Qos.EXACTLY_ONCE;
            case Pubcomp p -> request instanceof Publish publish && publish.qos() == Qos.EXACTLY_ONCE;
            case Suback p -> request instanceof Subscribe;
            case Unsuback p -> request instanceof Unsubscribe;
            default -> false;
        };
    }

    private static String expectedRequest(Packet reply) {
        return reply instanceof Suback ? "SUBSCRIBE" : reply instanceof Unsuback ? "UNSUBSCRIBE" : "PUBLISH";
    }

    private void receivePublish(Publish publish) throws MqttException, InterruptedException {
        String topic = resolveAlias(publish);
        if (publish.qos() == Qos.EXACTLY_ONCE) {
            InboundFlow earlier = exactlyOnceReceived.get(publish.packetId());
            if (earlier != null) {
                // Already delivered, PUBREL not yet here: deliver it only once [MQTT-4.3.3-10]; the
                // PUBREC follows once the application has the first copy, or is sent again now.
                if (earlier.isAcknowledged()) {
                    connection.send(new Pubrec(publish.packetId()));
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
                : acknowledgements.start(publish.packetId(), publish.qos() == Qos.EXACTLY_ONCE);
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

    private String resolveAlias(Publish publish) throws MqttProtocolException {
        long alias = publish.properties().integer(Property.TOPIC_ALIAS, 0);
        if (alias == 0) {
            return publish.topic();
        }
        if (alias > options.topicAliasMaximum()) { // [MQTT-3.3.2-9]
            throw new MqttProtocolException(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias
                    + " exceeds the client's topic alias maximum of " + options.topicAliasMaximum());
        }
        if (!publish.topic().isEmpty()) {
            inboundAliases.put((int) alias, publish.topic());
            return publish.topic();
        }
        String topic = inboundAliases.get((int) alias);
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
        List<MessageStream<MqttMessage>> targets = new ArrayList<>(2);
        routingLock.lock();
        try {
            List<Integer> ids = message.subscriptionIdentifiers();
            for (Subscription subscription : subscriptions) {
                boolean wanted = !ids.isEmpty() && subscription.identifier() != 0
                        ? sentFor(subscription, message.topic(), ids)
                        : subscription.matches(message.topic());
                if (wanted) {
                    targets.add(subscription.stream());
                }
            }
            if (allMessages != null) {
                targets.add(allMessages);
            }
            if (targets.isEmpty()) {
                if (flow == null) {
                    LOG.log(System.Logger.Level.DEBUG, "QoS 0 message on {0} dropped: no stream wants it", message.topic());
                    return;
                }
                // Bounded: past maxQueuedIncoming the reader waits, which is TCP backpressure.
                while (unclaimed.size() >= options.maxQueuedIncoming() && failure == null && !options.isClosing()) {
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
        for (MessageStream<MqttMessage> target : targets) {
            target.put(message, flow);
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
        for (TopicFilter filter : subscription.filters()) {
            Set<Integer> identifiers = identifiersByFilter.get(filter);
            if (identifiers != null && filter.matches(topic)) {
                for (Integer id : ids) {
                    if (identifiers.contains(id)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Sends the PUBACK or PUBREC of a message the application now has [MQTT-4.3.2-4, MQTT-4.3.3-8]. */
    private void acknowledge(InboundFlow flow) {
        try {
            connection.send(flow.exactlyOnce() ? new Pubrec(flow.packetId()) : new Puback(flow.packetId()));
            flow.acknowledged();
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "acknowledgement of packet {0} not sent: {1}", flow.packetId(), e.getMessage());
        }
    }

    // --- the end ---

    @Override
    public void closed(MqttException cause) {
        if (cause != null) {
            failure = cause;
        }
        MqttException reason = cause != null ? cause
                : new MqttException(ReasonCode.UNSPECIFIED_ERROR, "the client was closed before the operation completed");
        for (Integer packetId : List.copyOf(outbound.keySet())) {
            OutboundFlow flow = finish(packetId);
            if (flow != null) {
                flow.reply.completeExceptionally(reason);
            }
        }
        List<MessageStream<MqttMessage>> streams = new ArrayList<>();
        subscriptions.forEach(subscription -> streams.add(subscription.stream()));
        routingLock.lock();
        try {
            if (allMessages != null) {
                streams.add(allMessages);
            }
        } finally {
            routingLock.unlock();
        }
        routingLock.lock();
        try {
            unclaimed.clear(); // the connection is gone: nothing held can be acknowledged any more
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
    }

    void close(Duration timeout, boolean withWill) {
        awaitInflight(timeout);
        connection.close(withWill ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY)
                : Disconnect.NORMAL, timeout);
    }

    boolean threadsEnded() {
        return connection.threadsEnded();
    }

    private void checkUsable() throws MqttException {
        if (options.isClosing()) {
            throw new IllegalStateException("client is closed");
        }
        MqttException lost = failure;
        if (lost != null) {
            throw new MqttException(lost.reasonCode(), "the connection is lost: " + lost.getMessage(), lost);
        }
    }

    /** MQTT 5 re-authentication: the connection runs the exchange with its authenticator. */
    void reauthenticate(Duration timeout) throws MqttException {
        connection.reauthenticate(timeout);
    }
}
