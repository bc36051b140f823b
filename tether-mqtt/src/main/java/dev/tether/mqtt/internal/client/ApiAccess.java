package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.SessionStore;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.SubscribeResult;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.Topic;
import dev.tether.mqtt.internal.session.MessageStream;
import dev.tether.mqtt.internal.session.StateStore;
import java.lang.invoke.MethodHandles;

/**
 * The engine's way back into the public API: what it may do with the parts of
 * {@code dev.tether.mqtt}'s types that are package-private there, so that those types stay
 * {@code final} with no public constructor. Implemented once, in {@code dev.tether.mqtt}, and
 * registered by {@link MqttClient}'s static initializer, as the JDK's {@code SharedSecrets} do for
 * {@code java.lang}. {@link ClientSession} is the other half of the seam: what the API calls.
 *
 * <pre>{@code
 * MqttMessage.Builder builder = ApiAccess.api().messageBuilder(ApiAccess.api().decodedTopic(name));
 * }</pre>
 */
public abstract class ApiAccess {

    private static volatile ApiAccess registered;

    /** For the one subclass, in {@code dev.tether.mqtt}. */
    protected ApiAccess() {
    }

    /** {@return the topic of an incoming PUBLISH, whose name the decoder already checked} */
    public abstract Topic decodedTopic(String name);

    /** {@return a builder for a message to a topic that needs no checking again} */
    public abstract MqttMessage.Builder messageBuilder(Topic topic);

    /** Adds a subscription identifier an incoming PUBLISH carries to the message being built. */
    public abstract void subscriptionIdentifier(MqttMessage.Builder message, int identifier);

    /** {@return the incoming message with the hook its {@code ack()} runs} */
    public abstract MqttMessage withAcknowledgement(MqttMessage message, Runnable acknowledgement);

    /** {@return the message's payload itself, not a copy: the engine only reads it} */
    public abstract byte[] payloadWithoutCopy(MqttMessage message);

    /** {@return the message's correlation data itself, or null: the engine only reads it} */
    public abstract byte[] correlationDataWithoutCopy(MqttMessage message);

    /** {@return a new subscription, before its SUBSCRIBE is answered} */
    public abstract Subscription newSubscription(ClientSession session, SubscribeRequest request, int identifier,
                                 MessageStream<MqttMessage> stream);

    /** Marks the subscription granted, with what the broker granted. */
    public abstract void granted(Subscription subscription, SubscribeResult result);

    /** {@return what the subscription asked for: sent again as it was when the broker starts a new session} */
    public abstract SubscribeRequest request(Subscription subscription);

    /** {@return the stream the subscription's messages go into} */
    public abstract MessageStream<MqttMessage> stream(Subscription subscription);

    /** {@return a new state store for one client} */
    public abstract StateStore stateStore(SessionStore store);

    /** {@return whether the store outlives the process, so the client needs a fixed identifier} */
    public abstract boolean isDurable(SessionStore store);

    /**
     * Registers the one implementation; called once, from {@code MqttClient}'s static initializer.
     *
     * @throws IllegalStateException if one is registered already
     */
    public static void register(ApiAccess access) {
        if (registered != null) {
            throw new IllegalStateException("ApiAccess is registered already");
        }
        registered = access;
    }

    /** {@return the registered implementation, initialising {@code MqttClient} first if need be} */
    public static ApiAccess api() {
        ApiAccess access = registered;
        if (access == null) {
            try {
                MethodHandles.lookup().ensureInitialized(MqttClient.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            access = registered;
        }
        return access;
    }
}
