package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.Topic;
import dev.tether.mqtt.TopicFilter;
import dev.tether.mqtt.internal.session.InboundFlow;
import dev.tether.mqtt.internal.session.MessageStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Routes each incoming message to the streams that want it: the open subscriptions, by
 * subscription identifier or by filter, and the stream of all messages. Holds, unacknowledged
 * and bounded, the QoS 1/2 messages no stream wants yet, until a new stream claims them. Runs on
 * the links' reader threads (routing) and the callers' threads (streams come and go).
 */
final class MessageRouter {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");

    /** A QoS 1/2 message that arrived before any stream wanted it, held unacknowledged. */
    private record Unclaimed(MqttMessage message, InboundFlow flow) {
    }

    private final ClientOptions options;
    /** Set once the session ended: nothing held can be acknowledged any more. */
    private final AtomicBoolean ended;
    private final ApiAccess api = ApiAccess.api();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    // Every subscription identifier each filter was subscribed with since it was last unsubscribed:
    // the broker tags a message with the identifier of its latest SUBSCRIBE to the filter that matched.
    private final Map<TopicFilter, Set<Integer>> identifiersByFilter = new ConcurrentHashMap<>();
    /** Guards which streams exist and the messages no stream has claimed yet; never held while waiting on a stream. */
    private final ReentrantLock routingLock = new ReentrantLock();
    private final Condition unclaimedRoom = routingLock.newCondition();
    private final ArrayDeque<Unclaimed> unclaimed = new ArrayDeque<>();
    private volatile MessageStream<MqttMessage> allMessages;

    MessageRouter(ClientOptions options, AtomicBoolean ended) {
        this.options = options;
        this.ended = ended;
    }

    /** The open subscriptions, in the order they were made. */
    List<Subscription> subscriptions() {
        return subscriptions;
    }

    /**
     * Adds a subscription, before its SUBSCRIBE goes out so that the retained messages that
     * follow it are kept, and hands it the held messages it wants.
     */
    void add(Subscription subscription, int identifier) {
        if (identifier != 0) {
            for (TopicFilter filter : subscription.filters()) {
                identifiersByFilter.computeIfAbsent(filter, f -> ConcurrentHashMap.newKeySet()).add(identifier);
            }
        }
        routingLock.lock();
        try {
            subscriptions.add(subscription);
            claimUnclaimed(api.stream(subscription), topic -> matches(subscription.filters(), topic));
        } finally {
            routingLock.unlock();
        }
    }

    /** {@return whether the subscription was open until now} */
    boolean remove(Subscription subscription) {
        return subscriptions.remove(subscription);
    }

    /** The filters are unsubscribed: the identifiers they were subscribed with no longer count. */
    void unsubscribed(List<String> filters) {
        for (String filter : filters) {
            identifiersByFilter.remove(TopicFilter.of(filter));
        }
    }
    /**
     * The stream of every incoming message, made on first use; it claims the held messages at
     * once, and a session that already ended fails or ends it.
     */
    MessageStream<MqttMessage> allMessages(Supplier<MessageStream<MqttMessage>> newStream,
                                           Supplier<MqttException> failure) {
        routingLock.lock();
        try {
            if (allMessages == null) {
                allMessages = newStream.get();
                claimUnclaimed(allMessages, topic -> true);
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
     * Puts the message into every stream that wants it, once each: the subscriptions whose
     * identifier it carries (or, without identifiers, whose filters match), and the stream of
     * all messages if it was opened. A QoS 1/2 message that no stream wants yet is held,
     * unacknowledged, until a subscription or {@code messages()} claims it: on a resumed session
     * the broker sends what it kept before the application could subscribe again, and
     * acknowledging such a message would lose it. QoS 0 messages nobody wants are dropped.
     */
    void route(MqttMessage message, InboundFlow flow) throws InterruptedException {
        // Nearly always one stream wants the message: no list unless a second one does too.
        MessageStream<MqttMessage> first = null;
        List<MessageStream<MqttMessage>> more = null;
        routingLock.lock();
        try {
            List<Integer> ids = message.subscriptionIdentifiers();
            for (Subscription subscription : subscriptions) {
                boolean wanted = !ids.isEmpty() && api.identifier(subscription) != 0
                        ? sentFor(subscription, message.topic(), ids)
                        : matches(subscription.filters(), message.topic());
                if (wanted) {
                    if (first == null) {
                        first = api.stream(subscription);
                    } else {
                        more = more == null ? new ArrayList<>(2) : more;
                        more.add(api.stream(subscription));
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
    private void claimUnclaimed(MessageStream<MqttMessage> stream, Predicate<Topic> wants) {
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
            unclaimed.clear(); // the session is over: nothing held can be acknowledged any more
            unclaimedRoom.signalAll();
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
            queued += unclaimed.size();
        } finally {
            routingLock.unlock();
        }
        return queued;
    }
}
