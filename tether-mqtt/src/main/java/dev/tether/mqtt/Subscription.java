package dev.tether.mqtt;

import dev.tether.mqtt.internal.client.ClientSession;
import dev.tether.mqtt.internal.session.MessageStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The messages of one SUBSCRIBE: an {@link Iterable} that blocks for the next message, and an
 * {@link AutoCloseable} whose {@link #close()} unsubscribes. Each matching message arrives once,
 * even when several of its filters match.
 *
 * <p>A subscription receives messages while it is being consumed: from the first call of
 * {@link #iterator()}, {@link #receive()}, {@link #receive(Duration)} or {@link #poll()} on,
 * until it is closed. A message goes to every stream being consumed that it matches (other
 * subscriptions, {@link MqttClient#messages()}). One that no stream being consumed matches, such
 * as a retained message that follows the SUBSCRIBE before the first take, is held for the first
 * matching stream that starts being consumed, which gets it first, in order. So a subscription
 * nobody reads holds nothing back: what it matches goes to the streams being read. Only when
 * nothing being read matches do its messages wait for it, at most {@code maxQueuedIncoming},
 * after which the client stops reading from the broker until a matching stream is read or the
 * subscription is closed.
 *
 * <p>A QoS 1 or 2 message is acknowledged to the broker once every stream it went to has given
 * it out (or was closed), and in manual mode once it was also {@linkplain MqttMessage#ack()
 * acknowledged} — never before. So keep taking from every stream you started consuming, each on
 * a thread of its own or in turn: a broker sends only so many unacknowledged messages, and then
 * waits. At most {@code maxQueuedIncoming} messages wait here; when that many are waiting the
 * client stops reading from the broker until one is taken, so nothing is dropped.
 *
 * <p>When the connection is lost for good, {@link #receive()} throws the {@link MqttException}
 * and iteration throws it wrapped in an {@link UncheckedIOException}; when the subscription or
 * the client is closed, both end normally.
 *
 * <pre>{@code
 * try (Subscription temperatures = client.subscribe("sensors/+/temperature", Qos.AT_LEAST_ONCE)) {
 *     for (MqttMessage message : temperatures) {
 *         System.out.println(message.topic() + ": " + message.payloadAsString());
 *     }
 * }
 * }</pre>
 */
public final class Subscription implements Iterable<MqttMessage>, AutoCloseable {

    private final ClientSession session;
    private final List<TopicFilter> filters;
    private final int identifier;
    private final MessageStream<MqttMessage> stream;
    private final SubscribeRequest request;
    private volatile SubscribeResult result;

    Subscription(ClientSession session, SubscribeRequest request, int identifier, MessageStream<MqttMessage> stream) {
        this.session = session;
        this.request = request;
        this.filters = List.copyOf(request.filters());
        this.identifier = identifier;
        this.stream = stream;
    }

    void granted(SubscribeResult result) {
        this.result = result;
    }

    /** What was asked for: sent again as it was when the broker starts a new session. */
    SubscribeRequest request() {
        return request;
    }

    MessageStream<MqttMessage> stream() {
        return stream;
    }

    /**
     * The MQTT 5 Subscription Identifier this subscription was sent with, which the broker puts
     * on the messages it sends for it ({@link MqttMessage#subscriptionIdentifiers()}).
     *
     * <pre>{@code
     * if (message.subscriptionIdentifiers().contains(alerts.identifier())) { ... }
     * }</pre>
     *
     * @return the application's ({@link SubscribeRequest.Builder#subscriptionIdentifier(int)}),
     *     else the one the client chose, else 0: none (MQTT 3.1.1, a broker without them, or
     *     {@link MqttClientBuilder#automaticSubscriptionIdentifiers(boolean)} off)
     */
    public int identifier() {
        return identifier;
    }

    /** {@return the topic filters of this subscription, in the order they were asked for} */
    public List<TopicFilter> filters() {
        return filters;
    }

    /** {@return what the broker granted for each filter} */
    public SubscribeResult result() {
        return result;
    }

    /**
     * Waits for the next message; the first call starts consuming the subscription.
     *
     * @return the message, or null once the subscription or client is closed
     * @throws MqttException if the connection was lost for good
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public MqttMessage receive() throws MqttException, InterruptedException {
        return stream.take();
    }

    /**
     * Waits at most {@code timeout} for the next message; the first call starts consuming the
     * subscription.
     *
     * @param timeout how long to wait
     * @return the message, or null if none came in time or the subscription is closed
     * @throws MqttException if the connection was lost for good
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public MqttMessage receive(Duration timeout) throws MqttException, InterruptedException {
        return stream.poll(timeout);
    }

    /**
     * Takes the next message if one is waiting, like {@code BlockingQueue.poll()}; the first call
     * starts consuming the subscription, so the messages held for it are waiting once it returns.
     *
     * @return the message, or null when none is waiting
     * @throws MqttException if the connection was lost for good
     */
    public MqttMessage poll() throws MqttException {
        try {
            return stream.poll(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * {@return an iterator that blocks in {@code hasNext()} for the next message and ends when the
     * subscription or client is closed} Making it starts consuming the subscription.
     *
     * @throws UncheckedIOException from {@code hasNext()} if the connection was lost for good
     */
    @Override
    public Iterator<MqttMessage> iterator() {
        return new StreamIterator(stream);
    }

    /**
     * Unsubscribes the filters (those no other open subscription of this client uses) and ends
     * this subscription's iteration; buffered messages are dropped. Idempotent.
     */
    @Override
    public void close() {
        try {
            session.unsubscribe(this).get(session.operationTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The stream is closed either way; the broker will drop the subscription with the session.
            System.getLogger("dev.tether.mqtt").log(System.Logger.Level.DEBUG, "unsubscribe of {0} failed: {1}", filters, e);
        }
    }

    /** {@return the filters, e.g. {@code Subscription[sensors/+/temperature]}} */
    @Override
    public String toString() {
        return "Subscription" + filters;
    }

    /** Iterates a message stream; shared by subscriptions and the client's stream of all messages. */
    static final class StreamIterator implements Iterator<MqttMessage> {
        private final MessageStream<MqttMessage> stream;
        private MqttMessage next;
        private boolean ended;

        /** Starts consuming the stream: from now on messages are routed into it. */
        StreamIterator(MessageStream<MqttMessage> stream) {
            this.stream = stream;
            stream.consume();
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            try {
                next = stream.take();
            } catch (MqttException e) {
                ended = true;
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = true;
                return false;
            }
            ended = next == null;
            return next != null;
        }

        @Override
        public MqttMessage next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the stream has ended");
            }
            MqttMessage message = next;
            next = null;
            return message;
        }
    }
}
