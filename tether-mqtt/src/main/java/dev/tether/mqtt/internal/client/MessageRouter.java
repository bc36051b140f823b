package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.Topic;
import dev.tether.mqtt.TopicFilter;
import dev.tether.mqtt.internal.session.InboundFlow;
import dev.tether.mqtt.internal.session.MessageStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Routes each incoming message to the streams being consumed that want it: the open
 * subscriptions, by subscription identifier or by filter, and the stream of all messages. A
 * stream receives messages only from its first take on, so a stream nobody reads can neither
 * fill up nor hold back the others. A message no consumed stream wants is held
 * ({@link HeldMessages}) for the first matching stream that starts being consumed, which gets it
 * first, in order. Runs on the links' reader threads (routing) and the callers' threads (streams
 * come, start being consumed and go).
 */
final class MessageRouter {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");
    private static final List<Integer> NO_IDENTIFIER = List.of(0);

    /** Set once the session ended: nothing held can be acknowledged any more. */
    private final AtomicBoolean ended;
    private final ApiAccess api = ApiAccess.api();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    // Every subscription identifier each filter was subscribed with since it was last unsubscribed,
    // 0 for a SUBSCRIBE without one: the broker tags a message with the identifier of its latest
    // SUBSCRIBE to the filter that matched, or with none.
    private final Map<TopicFilter, Set<Integer>> identifiersByFilter = new ConcurrentHashMap<>();
    /**
     * Guards which streams exist, which are consumed, and the held messages: a stream starts being
     * consumed atomically with routing. Never held while waiting on a stream.
     */
    private final ReentrantLock routingLock = new ReentrantLock();
    private final HeldMessages held;
    private volatile MessageStream<MqttMessage> allMessages;

    MessageRouter(ClientOptions options, AtomicBoolean ended, LongAdder droppedIncoming) {
        this.ended = ended;
        this.held = new HeldMessages(routingLock, options, ended, droppedIncoming);
    }

    /** The open subscriptions, in the order they were made. */
    List<Subscription> subscriptions() {
        return subscriptions;
    }

    /**
     * Adds a subscription, before its SUBSCRIBE goes out: the retained messages that follow it are
     * held for it until it starts being consumed.
     */
    void add(Subscription subscription, int identifier) {
        for (TopicFilter filter : subscription.filters()) {
            identifiersByFilter.computeIfAbsent(filter, f -> ConcurrentHashMap.newKeySet()).add(identifier);
        }
        subscriptions.add(subscription);
    }

    /**
     * Removes a subscription, and drops the held messages it wanted that no other open stream
     * wants.
     *
     * @return whether the subscription was open until now
     */
    boolean remove(Subscription subscription) {
        routingLock.lock();
        try {
            if (!subscriptions.remove(subscription)) {
                return false;
            }
            if (allMessages == null) {
                held.drop(message -> claims(subscription, message)
                        && subscriptions.stream().noneMatch(other -> claims(other, message)));
            }
            return true;
        } finally {
            routingLock.unlock();
        }
    }

    /** The filters are unsubscribed: the identifiers they were subscribed with no longer count. */
    void unsubscribed(List<String> filters) {
        for (String filter : filters) {
            identifiersByFilter.remove(TopicFilter.of(filter));
        }
    }

    /**
     * The stream of every incoming message, made on first use; a session that already ended
     * fails or ends it. It gets messages from its first take on.
     */
    MessageStream<MqttMessage> allMessages(Supplier<MessageStream<MqttMessage>> newStream,
                                           Supplier<MqttException> failure) {
        routingLock.lock();
        try {
            if (allMessages == null) {
                allMessages = newStream.get();
                MqttException failed = failure.get();
                if (failed != null) {
                    allMessages.fail(failed);
                } else if (ended.get()) {
                    allMessages.close();
                }
            }
            return allMessages;
        } finally {
            routingLock.unlock();
        }
    }

    /**
     * A consumer takes from {@code stream} for the first time: from now on it gets the messages
     * it wants, and first the held ones, in arrival order. The stream's first-take hook.
     */
    void startConsuming(MessageStream<MqttMessage> stream) {
        routingLock.lock();
        try {
            if (!stream.markConsumed()) {
                return;
            }
            if (stream == allMessages) {
                held.claim(stream, message -> true);
                return;
            }
            for (Subscription subscription : subscriptions) {
                if (api.stream(subscription) == stream) {
                    held.claim(stream, message -> claims(subscription, message));
                    return;
                }
            }
        } finally {
            routingLock.unlock();
        }
    }

    /**
     * Puts the message into every consumed stream that wants it, once each: the subscriptions
     * whose identifier it carries (or, without identifiers, whose filters match), and the stream
     * of all messages. When no consumed stream wants it, it is held for the first one that starts
     * being consumed and wants it: a QoS 1/2 message always (on a resumed session the broker sends
     * what it kept before the application could subscribe again, and acknowledging such a message
     * would lose it), a QoS 0 message when an open stream wants it. Other QoS 0 messages are
     * dropped.
     */
    void route(MqttMessage message, InboundFlow flow) throws InterruptedException {
        // Nearly always one stream wants the message: no list unless a second one does too.
        MessageStream<MqttMessage> first = null;
        List<MessageStream<MqttMessage>> more = null;
        routingLock.lock();
        try {
            for (;;) {
                for (Subscription subscription : subscriptions) {
                    MessageStream<MqttMessage> stream = api.stream(subscription);
                    if (stream.isConsumed() && wanted(subscription, message)) {
                        if (first == null) {
                            first = stream;
                        } else {
                            more = more == null ? new ArrayList<>(2) : more;
                            more.add(stream);
                        }
                    }
                }
                MessageStream<MqttMessage> all = allMessages;
                if (all != null && all.isConsumed()) {
                    if (first == null) {
                        first = all;
                    } else {
                        more = more == null ? new ArrayList<>(2) : more;
                        more.add(all);
                    }
                }
                if (first != null) {
                    break;
                }
                if (flow == null && all == null && !wantedLater(message)) {
                    LOG.log(System.Logger.Level.DEBUG, "QoS 0 message on {0} dropped: no stream wants it", message.topic());
                    return;
                }
                if (held.hold(message, flow)) {
                    return;
                }
                // Bounded: the reader waits, which is TCP backpressure; then routes again, since
                // the stream that made room may be one that wants this message.
                held.awaitRoom();
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

    /** Whether a subscription not consumed yet wants the message; under the routing lock. */
    private boolean wantedLater(MqttMessage message) {
        for (Subscription subscription : subscriptions) {
            if (!api.stream(subscription).isConsumed() && wanted(subscription, message)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a message is for the subscription. One with an identifier gets the messages tagged
     * with an identifier its matching filters were subscribed with. An untagged message is the
     * copy for a subscription without an identifier, when one matches (a broker that sends a copy
     * per subscription sends that one untagged); when none does, the broker did not tag it, and it
     * goes by filter. A subscription without an identifier, and every one in a client without
     * them (MQTT 3.1.1), goes by filter alone: a broker may send one copy for all subscriptions,
     * tagged with the other subscriptions' identifiers.
     */
    private boolean wanted(Subscription subscription, MqttMessage message) {
        if (subscription.identifier() == 0) {
            return matches(subscription.filters(), message.topic());
        }
        List<Integer> ids = message.subscriptionIdentifiers();
        if (ids.isEmpty()) {
            return sentFor(subscription, message.topic(), NO_IDENTIFIER)
                    || !subscribedWithoutIdentifier(message.topic()) && matches(subscription.filters(), message.topic());
        }
        return sentFor(subscription, message.topic(), ids);
    }

    /** Whether a filter that matches the topic was subscribed without an identifier. */
    private boolean subscribedWithoutIdentifier(Topic topic) {
        for (Map.Entry<TopicFilter, Set<Integer>> entry : identifiersByFilter.entrySet()) {
            if (entry.getValue().contains(0) && entry.getKey().matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a held message goes to the subscription when it starts being consumed: as routing
     * would send it, or by filter when it carries only identifiers this client does not know (a
     * resumed session's message, tagged by a subscription of an earlier run).
     */
    private boolean claims(Subscription subscription, MqttMessage message) {
        return wanted(subscription, message)
                || matches(subscription.filters(), message.topic()) && !known(message.subscriptionIdentifiers());
    }

    private boolean known(List<Integer> ids) {
        for (Set<Integer> identifiers : identifiersByFilter.values()) {
            for (Integer id : ids) {
                if (identifiers.contains(id)) {
                    return true;
                }
            }
        }
        return false;
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

    static boolean matches(List<TopicFilter> filters, Topic topic) {
        for (TopicFilter filter : filters) {
            if (filter.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /** Ends routing: returns every stream, to be ended by the caller, and forgets what was held. */
    List<MessageStream<MqttMessage>> end() {
        List<MessageStream<MqttMessage>> streams = new ArrayList<>();
        subscriptions.forEach(subscription -> streams.add(api.stream(subscription)));
        routingLock.lock();
        try {
            if (allMessages != null) {
                streams.add(allMessages);
            }
            held.clear();
        } finally {
            routingLock.unlock();
        }
        return streams;
    }

    /** {@return how many messages wait in the streams or are held for one} */
    int queued() {
        int queued = 0;
        for (Subscription subscription : subscriptions) {
            queued += api.stream(subscription).size();
        }
        MessageStream<MqttMessage> all = allMessages;
        if (all != null) {
            queued += all.size();
        }
        routingLock.lock();
        try {
            queued += held.size();
        } finally {
            routingLock.unlock();
        }
        return queued;
    }
}
