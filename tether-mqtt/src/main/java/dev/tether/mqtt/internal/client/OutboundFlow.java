package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Puback;
import dev.tether.mqtt.internal.codec.Pubcomp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Pubrec;
import dev.tether.mqtt.internal.codec.Suback;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.Unsuback;
import dev.tether.mqtt.internal.codec.Unsubscribe;
import java.util.concurrent.CompletableFuture;

/**
 * One outgoing flow that waits for the broker: a request with its packet identifier, where it
 * stands on the current link, and the future of its final answer. Guarded by the lock of
 * {@link OutboundFlows}; its future is completed after that lock is released.
 */
final class OutboundFlow {

    /** Where a flow stands on the current link. */
    enum State { QUEUED, SENT, RELEASED }

    /** Boxed once here: it keys up to three maps, each put and remove would box it again. */
    final Long sequence;
    final int packetId;
    final Packet request;
    final long startNanos = System.nanoTime();
    final CompletableFuture<Packet> reply = new CompletableFuture<>();
    State state = State.QUEUED;
    boolean sentBefore;
    int epoch = -1;
    /** How the flow ended, kept until its future is completed outside the lock. */
    private Packet answer;
    private MqttException failure;

    OutboundFlow(long sequence, int packetId, Packet request) {
        this.sequence = sequence;
        this.packetId = packetId;
        this.request = request;
    }

    boolean isPublish() {
        return request instanceof Publish;
    }

    void ended(Packet answer, MqttException failure) {
        this.answer = answer;
        this.failure = failure;
    }

    void completeReply() {
        if (failure != null) {
            reply.completeExceptionally(failure);
        } else {
            reply.complete(answer);
        }
    }

    /**
     * A SUBACK or UNSUBACK must carry one reason code for each topic filter of its request, in the
     * same order [MQTT-3.8.4-6 (5.0), MQTT-3.8.4-5 (3.1.1), MQTT-3.11.3-1 (5.0)]; an MQTT 3.1.1
     * UNSUBACK carries none.
     *
     * @return the protocol error when {@code reply} carries another number, or null
     */
    MqttProtocolException reasonCodeCountError(Packet reply) {
        int codes;
        int filters;
        String rule;
        if (reply instanceof Suback suback && request instanceof Subscribe subscribe) {
            codes = suback.reasonCodes().size();
            filters = subscribe.subscriptions().size();
            rule = "MQTT-3.8.4-6 (5.0), MQTT-3.8.4-5 (3.1.1)";
        } else if (reply instanceof Unsuback unsuback && request instanceof Unsubscribe unsubscribe
                && !unsuback.reasonCodes().isEmpty()) {
            codes = unsuback.reasonCodes().size();
            filters = unsubscribe.filters().size();
            rule = "MQTT-3.11.3-1";
        } else {
            return null;
        }
        if (codes == filters) {
            return null;
        }
        return new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, reply.type() + " for packet identifier " + packetId
                + " carries " + codes + (codes == 1 ? " reason code" : " reason codes") + " for the " + filters
                + (filters == 1 ? " topic filter" : " topic filters") + " of its " + request.type()
                + ": one is due for each filter [" + rule + "]");
    }

    /** {@return whether {@code packet} is the answer this flow waits for in its state} */
    boolean isAnsweredBy(Packet packet) {
        return switch (packet) {
            case Puback p -> request instanceof Publish publish && publish.qos() == Qos.AT_LEAST_ONCE;
            case Pubrec p -> request instanceof Publish publish && publish.qos() == Qos.EXACTLY_ONCE
                    && state == State.SENT;
            case Pubcomp p -> request instanceof Publish publish && publish.qos() == Qos.EXACTLY_ONCE
                    && state == State.RELEASED;
            case Suback p -> request instanceof Subscribe;
            case Unsuback p -> request instanceof Unsubscribe;
            default -> false;
        };
    }
}
