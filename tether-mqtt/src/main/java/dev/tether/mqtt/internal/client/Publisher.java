package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.ConnectResult;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Puback;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.TopicSubscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Outgoing messages as the caller hands them over: checks them against the broker's limits,
 * sends QoS 0 at once, queues QoS 1/2 in {@link OutboundFlows}, and turns the broker's answer
 * into a {@link PublishResult}; MQTT 5 request/response on top. Runs on the callers' threads.
 */
final class Publisher {

    /** What a QoS 0 publish, and nearly every acknowledged one, results in. */
    private static final PublishResult SENT = new PublishResult(ReasonCode.SUCCESS, null, List.of());

    private final ClientSession session;
    private final ClientOptions options;
    private final boolean v5;
    private final OutboundFlows outbound;
    private final Replies replies;

    Publisher(ClientSession session, ClientOptions options, OutboundFlows outbound, Replies replies) {
        this.session = session;
        this.options = options;
        this.v5 = options.protocol() == ProtocolVersion.V5;
        this.outbound = outbound;
        this.replies = replies;
    }

    /** Publishes; the future completes when the flow does, or fails with what went wrong. */
    CompletableFuture<PublishResult> publish(MqttMessage message) {
        try {
            session.checkUsable();
            ConnectResult limits = session.connected();
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
                    .thenApply(Publisher::publishResult);
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** QoS 0 goes out at once; while reconnecting it fails at once, unless the user chose to queue it. */
    private CompletableFuture<PublishResult> publishAtMostOnce(MqttMessage message) throws MqttException {
        Publish publish = Messages.toPublish(message, 0, v5);
        Link current = session.link();
        if (current == null && options.queueQos0WhileDisconnected()) {
            return outbound.publish(publish, options.operationTimeout())
                    .thenApply(sent -> SENT);
        }
        if (current == null) {
            MqttException cause = session.lastCause();
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
            session.checkUsable();
            String replyTopic = replies.topic(session.clientIdentifier());
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
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(new MqttException(ReasonCode.UNSPECIFIED_ERROR,
                    "no SUBACK for the reply subscription within " + options.operationTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }
}
