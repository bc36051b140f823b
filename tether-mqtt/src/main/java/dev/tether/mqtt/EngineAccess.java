package dev.tether.mqtt;

import dev.tether.mqtt.internal.client.ApiAccess;
import dev.tether.mqtt.internal.client.ClientSession;
import dev.tether.mqtt.internal.session.MessageStream;
import dev.tether.mqtt.internal.session.StateStore;

/**
 * The one implementation of {@link ApiAccess}: what the engine in
 * {@code dev.tether.mqtt.internal.client} may do with this package's package-private members.
 * Registered by {@link MqttClient}'s static initializer; nothing here is public.
 */
final class EngineAccess extends ApiAccess {

    @Override
    public Topic decodedTopic(String name) {
        return Topic.decoded(name);
    }

    @Override
    public MqttMessage.Builder messageBuilder(Topic topic) {
        return MqttMessage.newBuilder(topic);
    }

    @Override
    public void subscriptionIdentifier(MqttMessage.Builder message, int identifier) {
        message.subscriptionIdentifier(identifier);
    }

    @Override
    public MqttMessage withAcknowledgement(MqttMessage message, Runnable acknowledgement) {
        return message.withAcknowledgement(acknowledgement);
    }

    @Override
    public byte[] payloadWithoutCopy(MqttMessage message) {
        return message.payloadWithoutCopy();
    }

    @Override
    public byte[] correlationDataWithoutCopy(MqttMessage message) {
        return message.correlationDataWithoutCopy();
    }

    @Override
    public Subscription newSubscription(ClientSession session, SubscribeRequest request, int identifier,
                                        MessageStream<MqttMessage> stream) {
        return new Subscription(session, request, identifier, stream);
    }

    @Override
    public void granted(Subscription subscription, SubscribeResult result) {
        subscription.granted(result);
    }

    @Override
    public SubscribeRequest request(Subscription subscription) {
        return subscription.request();
    }

    @Override
    public MessageStream<MqttMessage> stream(Subscription subscription) {
        return subscription.stream();
    }

    @Override
    public StateStore stateStore(SessionStore store) {
        return store.store();
    }

    @Override
    public boolean isDurable(SessionStore store) {
        return store.isDurable();
    }
}
