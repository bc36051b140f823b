package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.MqttSubscribeException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.SubscribeResult;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.TopicFilter;
import dev.tether.mqtt.UnsubscribeResult;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.TopicSubscription;
import dev.tether.mqtt.internal.codec.Unsuback;
import dev.tether.mqtt.internal.codec.Unsubscribe;
import dev.tether.mqtt.internal.session.MessageStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * SUBSCRIBE and UNSUBSCRIBE: checks what the broker said it supports, gives each subscription
 * its stream and identifier, unsubscribes a filter once no open subscription uses it, and
 * subscribes everything again when the broker starts a new session. Runs on the callers' threads;
 * the broker's answers complete on a reader thread.
 */
final class Subscriptions {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");

    private final ClientSession session;
    private final ClientOptions options;
    private final boolean v5;
    private final OutboundFlows outbound;
    private final MessageRouter router;
    private final Replies replies;
    private final LongAdder droppedIncoming;
    private final ApiAccess api = ApiAccess.api();
    private final AtomicInteger subscriptionIds = new AtomicInteger();

    Subscriptions(ClientSession session, ClientOptions options, OutboundFlows outbound, MessageRouter router, Replies replies,
                  LongAdder droppedIncoming) {
        this.session = session;
        this.options = options;
        this.v5 = options.protocol() == ProtocolVersion.V5;
        this.outbound = outbound;
        this.router = router;
        this.replies = replies;
        this.droppedIncoming = droppedIncoming;
    }

    /**
     * Subscribes; the future completes with the SUBACK, or fails with a refusal. A SUBACK that
     * refuses any filter refuses the whole subscription: the filters it granted are unsubscribed
     * again, and the failure carries every filter's reason code.
     */
    CompletableFuture<Subscription> subscribe(SubscribeRequest request) {
        try {
            session.checkUsable();
            checkSupported(request);
            int subscriptionId = identifierFor(request);
            MessageStream<MqttMessage> stream = newStream();
            Subscription subscription = api.newSubscription(session, request, subscriptionId, stream);
            // Registered before SUBSCRIBE goes out, so retained messages that follow it are kept.
            router.add(subscription, subscriptionId);
            CompletableFuture<Packet> reply;
            try {
                reply = outbound.control(subscribePacket(request, subscriptionId));
            } catch (MqttException | RuntimeException e) {
                router.remove(subscription);
                throw e;
            }
            return reply.thenCompose(packet -> {
                Suback suback = (Suback) packet;
                SubscribeResult result = new SubscribeResult(suback.reasonCodes(),
                        suback.properties().string(Property.REASON_STRING), suback.properties().userProperties());
                if (suback.reasonCodes().stream().anyMatch(ReasonCode::isError)) {
                    router.remove(subscription);
                    stream.close();
                    unsubscribeGranted(request.filters(), suback.reasonCodes());
                    return CompletableFuture.failedFuture(new MqttSubscribeException(request.filters(), result));
                }
                api.granted(subscription, result);
                return CompletableFuture.completedFuture(subscription);
            }).whenComplete((s, e) -> {
                if (e != null) {
                    router.remove(subscription);
                    stream.close();
                }
            });
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The identifier a new subscription is sent with: the application's choice, else (MQTT 5,
     * when the broker supports them and automatic identifiers are on) the next number no open
     * subscription uses, else 0 for none.
     */
    private int identifierFor(SubscribeRequest request) throws MqttException {
        boolean available = session.connected().subscriptionIdentifiersAvailable();
        int chosen = request.subscriptionIdentifier();
        if (chosen != 0) {
            if (!v5) {
                throw new IllegalArgumentException("a subscription identifier needs MQTT 5; this client speaks MQTT 3.1.1: "
                        + request.filters());
            }
            if (!available) {
                throw new MqttException(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                        "the broker does not support subscription identifiers (its CONNACK said so), so " + request.filters()
                                + " cannot be subscribed with identifier " + chosen);
            }
            return chosen;
        }
        if (!available || !options.automaticSubscriptionIdentifiers()) {
            return 0;
        }
        for (;;) {
            int next = subscriptionIds.updateAndGet(id -> id == SubscribeRequest.MAX_SUBSCRIPTION_IDENTIFIER ? 1 : id + 1);
            if (router.subscriptions().stream().noneMatch(open -> open.identifier() == next)) {
                return next;
            }
        }
    }

    /**
     * {@return a new stream for incoming messages, bounded and with the overflow policy as
     * configured, that the router starts routing into at its first take}
     */
    MessageStream<MqttMessage> newStream() {
        return new MessageStream<>(options.maxQueuedIncoming(), !options.manualAcknowledgement(), options.incomingOverflow(),
                droppedIncoming, router::startConsuming);
    }

    private static Subscribe subscribePacket(SubscribeRequest request, int subscriptionId) {
        List<TopicSubscription> entries = new ArrayList<>();
        for (SubscribeRequest.Entry entry : request.entries()) {
            entries.add(new TopicSubscription(entry.filter().filter(), entry.qos(), entry.noLocal(),
                    entry.retainAsPublished(), entry.retainHandling()));
        }
        Properties properties = subscriptionId == 0 ? Properties.EMPTY
                : Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, subscriptionId).build();
        return new Subscribe(1, entries, withUserProperties(properties, request.userProperties()));
    }

    private static Properties withUserProperties(Properties properties, List<UserProperty> userProperties) {
        if (userProperties.isEmpty()) {
            return properties;
        }
        Properties.Builder builder = properties.toBuilder();
        userProperties.forEach(builder::userProperty);
        return builder.build();
    }

    /**
     * A SUBSCRIBE the broker refused in part is reported as refused, so the filters it granted
     * must not stay subscribed on the broker, delivering messages nobody asked for: unsubscribes
     * those no open subscription uses. Does not wait for the UNSUBACK. (All or nothing, because
     * a {@link Subscription} is one stream for all its filters: keeping part of it would hand the
     * application messages of a subscription it was told failed.)
     */
    private void unsubscribeGranted(List<TopicFilter> filters, List<ReasonCode> codes) {
        List<String> granted = new ArrayList<>();
        for (int i = 0; i < Math.min(filters.size(), codes.size()); i++) {
            TopicFilter filter = filters.get(i);
            if (!codes.get(i).isError() && router.subscriptions().stream().noneMatch(other -> other.filters().contains(filter))) {
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
        checkUserProperties(request.userProperties(), "SUBSCRIBE");
        for (SubscribeRequest.Entry entry : request.entries()) {
            TopicFilter filter = entry.filter();
            if (filter.hasWildcards() && !session.connected().wildcardSubscriptionAvailable()) {
                throw new MqttException(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                        "the broker does not support wildcard subscriptions: " + filter);
            }
            if (filter.isShared() && !session.connected().sharedSubscriptionAvailable()) {
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
        if (!router.remove(subscription)) {
            return CompletableFuture.completedFuture(null);
        }
        api.stream(subscription).close();
        List<String> filters = new ArrayList<>();
        for (TopicFilter filter : subscription.filters()) {
            boolean stillUsed = router.subscriptions().stream().anyMatch(other -> other.filters().contains(filter));
            if (!stillUsed) {
                filters.add(filter.filter());
            }
        }
        return unsubscribeFilters(filters).thenApply(result -> null);
    }

    private void checkUserProperties(List<UserProperty> userProperties, String packet) {
        if (!v5 && !userProperties.isEmpty()) {
            throw new IllegalArgumentException("user properties on " + packet + " need MQTT 5");
        }
    }

    /** Unsubscribes filters, whichever subscription asked for them. */
    CompletableFuture<UnsubscribeResult> unsubscribeFilters(List<String> filters) {
        return unsubscribeFilters(filters, List.of());
    }

    /**
     * Unsubscribes filters with an UNSUBSCRIBE carrying {@code userProperties} (MQTT 5). Nothing
     * is sent, and the result is null, when there is no filter or the client is closing.
     */
    CompletableFuture<UnsubscribeResult> unsubscribeFilters(List<String> filters, List<UserProperty> userProperties) {
        checkUserProperties(userProperties, "UNSUBSCRIBE");
        if (filters.isEmpty() || session.isEnded() || options.isClosing()) {
            return CompletableFuture.completedFuture(null);
        }
        router.unsubscribed(filters);
        Unsubscribe unsubscribe = new Unsubscribe(1, filters, withUserProperties(Properties.EMPTY, userProperties));
        try {
            return outbound.control(unsubscribe).thenCompose(packet -> {
                Unsuback unsuback = (Unsuback) packet;
                for (ReasonCode code : unsuback.reasonCodes()) {
                    if (code.isError()) {
                        return CompletableFuture.failedFuture(new MqttException(code,
                                "the broker refused to unsubscribe " + filters + ": " + code.describe()
                                        + " (reason codes " + unsuback.reasonCodes() + ")"));
                    }
                }
                // MQTT 3.1.1's UNSUBACK carries no reason codes: each filter was unsubscribed.
                List<ReasonCode> codes = v5 ? unsuback.reasonCodes() : Collections.nCopies(filters.size(), ReasonCode.SUCCESS);
                return CompletableFuture.completedFuture(new UnsubscribeResult(codes,
                        unsuback.properties().string(Property.REASON_STRING), unsuback.properties().userProperties()));
            });
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Subscribes every open subscription again, as it was asked for, because the broker started a
     * new session without them. A refusal fails that subscription's stream with the reason.
     */
    List<TopicFilter> resubscribe() {
        List<TopicFilter> filters = new ArrayList<>();
        for (Subscription subscription : router.subscriptions()) {
            if (subscription.result() == null) {
                continue; // its own SUBSCRIBE is still queued and goes out on this link
            }
            filters.addAll(subscription.filters());
            try {
                outbound.control(subscribePacket(api.request(subscription), subscription.identifier()))
                        .thenAccept(reply -> {
                            Suback suback = (Suback) reply;
                            for (ReasonCode code : suback.reasonCodes()) {
                                if (code.isError()) {
                                    api.stream(subscription).fail(new MqttException(code, "the broker refused to subscribe again to "
                                            + subscription.filters() + " after it started a new session: " + code.describe()));
                                    return;
                                }
                            }
                        });
            } catch (MqttException e) {
                api.stream(subscription).fail(e);
            }
        }
        if (replies.isSubscribed()) {
            String topic = replies.topic(session.clientIdentifier());
            filters.add(TopicFilter.of(topic));
            try {
                outbound.control(new Subscribe(1, List.of(new TopicSubscription(topic, Qos.AT_LEAST_ONCE)), Properties.EMPTY));
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.WARNING, "could not subscribe again to the reply topic: {0}", e.getMessage());
            }
        }
        return filters;
    }
}
