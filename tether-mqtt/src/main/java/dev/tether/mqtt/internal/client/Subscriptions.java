package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.SubscribeResult;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.TopicFilter;
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

    /** Subscribes; the future completes with the SUBACK, or fails with a refusal. */
    CompletableFuture<Subscription> subscribe(SubscribeRequest request) {
        try {
            session.checkUsable();
            checkSupported(request);
            int subscriptionId = session.connected().subscriptionIdentifiersAvailable() ? subscriptionIds.incrementAndGet() : 0;
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
                String reason = suback.properties().string(Property.REASON_STRING);
                for (int i = 0; i < suback.reasonCodes().size(); i++) {
                    ReasonCode code = suback.reasonCodes().get(i);
                    if (code.isError()) {
                        router.remove(subscription);
                        stream.close();
                        unsubscribeGranted(request.filters(), suback.reasonCodes());
                        return CompletableFuture.failedFuture(new MqttException(code, "the broker refused the subscription to '"
                                + request.filters().get(Math.min(i, request.filters().size() - 1)) + "': " + code.describe()
                                + (reason == null ? "" : ": " + reason)));
                    }
                }
                api.granted(subscription, new SubscribeResult(suback.reasonCodes(), reason));
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
     * those no open subscription uses. Does not wait for the UNSUBACK.
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
        return unsubscribeFilters(filters);
    }

    private void checkUserProperties(List<UserProperty> userProperties, String packet) {
        if (!v5 && !userProperties.isEmpty()) {
            throw new IllegalArgumentException("user properties on " + packet + " need MQTT 5");
        }
    }

    /** Unsubscribes filters, whichever subscription asked for them. */
    CompletableFuture<Void> unsubscribeFilters(List<String> filters) {
        return unsubscribeFilters(filters, List.of());
    }

    /** Unsubscribes filters with an UNSUBSCRIBE carrying {@code userProperties} (MQTT 5). */
    CompletableFuture<Void> unsubscribeFilters(List<String> filters, List<UserProperty> userProperties) {
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
                                "the broker refused to unsubscribe " + filters + ": " + code.describe()));
                    }
                }
                return CompletableFuture.completedFuture(null);
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
                outbound.control(subscribePacket(api.request(subscription), api.identifier(subscription)))
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
