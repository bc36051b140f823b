package dev.tether.mqtt;

import dev.tether.mqtt.internal.client.ApiAccess;
import dev.tether.mqtt.internal.client.ClientSession;
import dev.tether.mqtt.internal.session.MessageStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An MQTT client with one connection, opened by {@link #connect(String)} or {@link #newBuilder()}
 * and closed by {@link #close()}, typically with try-with-resources. There is no other way to
 * connect and no way to reconnect a closed client: a closed client stays closed.
 *
 * <p>One client is thread-safe and meant to be shared: pass it to every function, request handler
 * or bean that publishes or subscribes; thousands of (virtual) threads may use it at once. Every
 * call that waits has a plain blocking form and an {@code ...Async} twin, and every wait is
 * bounded by the builder's timeouts.
 *
 * <pre>{@code
 * static void publishHumidity(MqttClient client) throws Exception { client.publish("humidity/outside", 0.38); }
 * static void publishTemperature(MqttClient client) throws Exception { client.publish("temperature/outside", 28.3); }
 *
 * try (MqttClient client = MqttClient.connect("localhost")) {
 *     publishHumidity(client);
 *     publishTemperature(client);
 * }
 * }</pre>
 */
public final class MqttClient implements AutoCloseable {

    static {
        ApiAccess.register(new EngineAccess()); // the engine's way back to this package's package-private members
    }

    private final ClientSession session;

    MqttClient(ClientSession session) {
        this.session = session;
    }

    /**
     * Connects to a broker with MQTT 5 and the default options.
     *
     * @param hostAndPort {@code host} (port 1883) or {@code host:port}, IPv6 addresses in brackets;
     *     or a server URI such as {@code mqtts://host}, {@code wss://host/mqtt} or
     *     {@code unix:///run/broker.sock} (see {@link MqttClientBuilder#serverUri(String)})
     * @return the connected client
     * @throws MqttConnectException if the broker refused the connection
     * @throws MqttException if the broker cannot be reached
     */
    public static MqttClient connect(String hostAndPort) throws MqttException {
        if (dev.tether.mqtt.internal.transport.Endpoint.isUri(hostAndPort)) {
            return newBuilder().serverUri(hostAndPort).connect();
        }
        MqttClientBuilder builder = newBuilder();
        String host = hostAndPort;
        int colon = hostAndPort.lastIndexOf(':');
        if (colon > 0 && hostAndPort.indexOf(':') == colon || hostAndPort.startsWith("[") && colon > hostAndPort.indexOf(']')) {
            host = hostAndPort.substring(0, colon);
            String port = hostAndPort.substring(colon + 1);
            try {
                builder.port(Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number, was '" + port + "' in '" + hostAndPort + "'", e);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return builder.host(host).connect();
    }

    /**
     * MQTT 5 re-authentication on the live connection (AUTH with reason code 0x19) with the
     * builder's {@link MqttClientBuilder#authenticator(Authenticator) authenticator}: returns once
     * the broker accepted, within the operation timeout. A broker that refuses closes the
     * connection, and this throws.
     *
     * @throws MqttException if there is no authenticator, or the broker refused or did not answer
     */
    public void reauthenticate() throws MqttException {
        session.reauthenticate();
    }

    /** {@return a builder for a client with options other than the defaults} */
    public static MqttClientBuilder newBuilder() {
        return new MqttClientBuilder();
    }

    /** {@return what the broker said when it accepted the connection, and the limits it set} */
    public ConnectResult connectResult() {
        return session.connected();
    }

    // --- publish ---

    /**
     * Publishes a message and waits until its flow is complete: written for QoS 0, PUBACK for
     * QoS 1, PUBCOMP for QoS 2.
     *
     * @param message the message
     * @return the broker's acknowledgement
     * @throws MqttException if the broker refused it (error reason code), the client could not
     *     send it (too large, QoS or retain not supported), or no acknowledgement came in time
     * @throws IllegalStateException if the client is closed
     */
    public PublishResult publish(MqttMessage message) throws MqttException {
        return await(publishAsync(message), session.operationTimeout(), "publish to", message.topic(), null);
    }

    /**
     * Publishes bytes with QoS 0.
     *
     * @param topic the topic name
     * @param payload the payload
     * @return the result
     * @throws MqttException if the message could not be sent
     */
    public PublishResult publish(String topic, byte[] payload) throws MqttException {
        return publish(topic, payload, Qos.AT_MOST_ONCE, false);
    }

    /**
     * Publishes bytes.
     *
     * @param topic the topic name
     * @param payload the payload
     * @param qos the quality of service
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, byte[] payload, Qos qos) throws MqttException {
        return publish(topic, payload, qos, false);
    }

    /**
     * Publishes bytes. The array is not copied: this call returns only once the client is done
     * with it (written for QoS 0, acknowledged for QoS 1/2), so the caller may reuse it as soon as
     * it returns. If it throws because no acknowledgement came in time or the thread was
     * interrupted, the message may still go out later (it stays queued, and is sent again after a
     * reconnect) with the array as it is then: leave it unchanged in that case.
     * {@link #publishAsync(String, byte[], Qos)} copies, since it returns before.
     *
     * <pre>{@code
     * byte[] buffer = new byte[64];
     * for (Reading r : readings) {
     *     int length = r.writeTo(buffer);
     *     client.publish("sensors/1", Arrays.copyOf(buffer, length), Qos.AT_LEAST_ONCE);
     * }
     * }</pre>
     *
     * @param topic the topic name
     * @param payload the payload, not copied
     * @param qos the quality of service
     * @param retain whether the broker keeps it for future subscribers
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, byte[] payload, Qos qos, boolean retain) throws MqttException {
        return publish(MqttMessage.newBuilder(topic).payloadWithoutCopy(payload).qos(qos).retain(retain).build());
    }

    /**
     * Publishes text as UTF-8 with QoS 0.
     *
     * @param topic the topic name
     * @param payload the text
     * @return the result
     * @throws MqttException if the message could not be sent
     */
    public PublishResult publish(String topic, String payload) throws MqttException {
        return publish(topic, payload, Qos.AT_MOST_ONCE, false);
    }

    /**
     * Publishes text as UTF-8.
     *
     * @param topic the topic name
     * @param payload the text
     * @param qos the quality of service
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, String payload, Qos qos) throws MqttException {
        return publish(topic, payload, qos, false);
    }

    /**
     * Publishes text as UTF-8.
     *
     * @param topic the topic name
     * @param payload the text
     * @param qos the quality of service
     * @param retain whether the broker keeps it for future subscribers
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, String payload, Qos qos, boolean retain) throws MqttException {
        return publish(MqttMessage.newBuilder(topic).payload(payload).qos(qos).retain(retain).build());
    }

    /**
     * Publishes a number as its decimal text with QoS 0: {@code 0.38} is sent as {@code "0.38"}.
     *
     * @param topic the topic name
     * @param payload the number
     * @return the result
     * @throws MqttException if the message could not be sent
     */
    public PublishResult publish(String topic, Number payload) throws MqttException {
        return publish(topic, payload, Qos.AT_MOST_ONCE, false);
    }

    /**
     * Publishes a number as its decimal text.
     *
     * @param topic the topic name
     * @param payload the number
     * @param qos the quality of service
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, Number payload, Qos qos) throws MqttException {
        return publish(topic, payload, qos, false);
    }

    /**
     * Publishes a number as its decimal text.
     *
     * @param topic the topic name
     * @param payload the number
     * @param qos the quality of service
     * @param retain whether the broker keeps it for future subscribers
     * @return the result
     * @throws MqttException if the message could not be delivered to the broker
     */
    public PublishResult publish(String topic, Number payload, Qos qos, boolean retain) throws MqttException {
        return publish(topic, String.valueOf(payload), qos, retain);
    }

    /**
     * Publishes without waiting: the future completes when the flow does (see {@link #publish(MqttMessage)})
     * or fails with the {@link MqttException}. It may wait, bounded by the operation timeout, for a
     * slot under the broker's receive maximum before it returns.
     *
     * @param message the message
     * @return the future result
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<PublishResult> publishAsync(MqttMessage message) {
        return session.publish(message);
    }

    /**
     * Publishes bytes without waiting. The array is copied, since the caller may change it as
     * soon as this returns; {@link MqttMessage.Builder#payloadWithoutCopy(byte[])} skips the copy
     * for an array nobody changes.
     *
     * @param topic the topic name
     * @param payload the payload, copied
     * @param qos the quality of service
     * @return the future result
     */
    public CompletableFuture<PublishResult> publishAsync(String topic, byte[] payload, Qos qos) {
        return publishAsync(MqttMessage.newBuilder(topic).payload(payload).qos(qos).build());
    }

    /**
     * Publishes text without waiting.
     *
     * @param topic the topic name
     * @param payload the text, sent as UTF-8
     * @param qos the quality of service
     * @return the future result
     */
    public CompletableFuture<PublishResult> publishAsync(String topic, String payload, Qos qos) {
        return publishAsync(MqttMessage.newBuilder(topic).payload(payload).qos(qos).build());
    }

    // --- request/response (MQTT 5) ---

    /**
     * MQTT 5 request/response: publishes {@code payload} to {@code topic} (QoS 1) with this
     * client's response topic and fresh correlation data, and waits for the reply, which a
     * responder publishes to {@code request.responseTopic()} with the same
     * {@code correlationData()}. All requests of a client share one reply subscription, made on
     * first use; replies go to their request only, not to {@link #messages()}.
     *
     * <pre>{@code
     * MqttMessage reply = client.request("services/clock", "now", Duration.ofSeconds(5));
     * }</pre>
     *
     * @param topic where the request goes
     * @param payload the request's payload, as UTF-8
     * @param timeout how long to wait for the reply
     * @return the reply
     * @throws MqttException if the request could not be sent or no reply came within {@code timeout}
     * @throws IllegalStateException if the client speaks MQTT 3.1.1 or is closed
     */
    public MqttMessage request(String topic, String payload, Duration timeout) throws MqttException {
        return request(MqttMessage.newBuilder(topic).payload(payload).qos(Qos.AT_LEAST_ONCE).build(), timeout);
    }

    /**
     * MQTT 5 request/response with a message of your own (its response topic and correlation data
     * are replaced).
     *
     * @param request the request message
     * @param timeout how long to wait for the reply
     * @return the reply
     * @throws MqttException if the request could not be sent or no reply came within {@code timeout}
     */
    public MqttMessage request(MqttMessage request, Duration timeout) throws MqttException {
        return await(session.request(request, timeout), timeout.plus(session.operationTimeout()), "request on",
                request.topic(), timeout);
    }

    /**
     * The asynchronous twin of {@link #request(MqttMessage, Duration)}.
     *
     * @param request the request message
     * @param timeout how long to wait for the reply
     * @return the future reply; it fails with a {@code TimeoutException} after {@code timeout}
     */
    public CompletableFuture<MqttMessage> requestAsync(MqttMessage request, Duration timeout) {
        return session.request(request, timeout);
    }

    // --- subscribe ---

    /**
     * Subscribes to one filter with QoS 0.
     *
     * @param filter the topic filter
     * @return the subscription; close it to unsubscribe
     * @throws MqttException if the broker refused it
     */
    public Subscription subscribe(String filter) throws MqttException {
        return subscribe(filter, Qos.AT_MOST_ONCE);
    }

    /**
     * Subscribes to one filter.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS to receive with
     * @return the subscription; close it to unsubscribe
     * @throws MqttException if the broker refused it or does not support it
     */
    public Subscription subscribe(String filter, Qos qos) throws MqttException {
        return subscribe(SubscribeRequest.of(filter, qos));
    }

    /**
     * Subscribes to one or more filters with their options, as one SUBSCRIBE.
     *
     * @param request the filters and options
     * @return the subscription; close it to unsubscribe
     * @throws MqttException if the broker refused any filter (the filters it granted are then
     *     unsubscribed again) or does not support it
     */
    public Subscription subscribe(SubscribeRequest request) throws MqttException {
        return await(subscribeAsync(request), session.operationTimeout(), "subscribe to", request.filters(), null);
    }

    /**
     * Subscribes without waiting for the SUBACK; messages are buffered from the moment the
     * SUBSCRIBE is sent.
     *
     * @param request the filters and options
     * @return the future subscription
     */
    public CompletableFuture<Subscription> subscribeAsync(SubscribeRequest request) {
        return session.subscribe(request);
    }

    /**
     * Unsubscribes filters directly, whichever subscription asked for them.
     *
     * <pre>{@code
     * UnsubscribeResult result = client.unsubscribe("sensors/#");
     * }</pre>
     *
     * @param filters the topic filters; none sends nothing
     * @return what the UNSUBACK said for each filter
     * @throws MqttException if the broker refused, or the connection is lost
     * @throws IllegalStateException if the client is closed
     */
    public UnsubscribeResult unsubscribe(String... filters) throws MqttException {
        if (filters.length == 0) {
            return new UnsubscribeResult(List.of(), null, List.of());
        }
        return unsubscribe(List.of(filters), List.of());
    }

    /**
     * Unsubscribes filters directly with one UNSUBSCRIBE that carries MQTT 5 user properties.
     *
     * <pre>{@code
     * client.unsubscribe(List.of("sensors/#"), List.of(UserProperty.of("tenant", "acme")));
     * }</pre>
     *
     * @param filters the topic filters, at least one
     * @param userProperties the UNSUBSCRIBE's user properties, in order
     * @return what the UNSUBACK said for each filter: SUCCESS, or NO_SUBSCRIPTION_EXISTED
     * @throws MqttException if the broker refused, or the connection is lost
     * @throws IllegalArgumentException if a filter is invalid, there is none [MQTT-3.10.3-2], or
     *     user properties are given to an MQTT 3.1.1 client
     * @throws IllegalStateException if the client is closed
     */
    public UnsubscribeResult unsubscribe(List<String> filters, List<UserProperty> userProperties) throws MqttException {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("an UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2)");
        }
        for (String filter : filters) {
            TopicFilter.of(filter);
        }
        List<String> copy = List.copyOf(filters);
        return await(session.unsubscribeFilters(copy, List.copyOf(userProperties)), session.operationTimeout(),
                "unsubscribe from", copy, null);
    }

    /**
     * Every incoming message, once, in arrival order, like aiomqtt's {@code client.messages}:
     * iterate it from any thread; iteration ends when the client closes. It holds at most
     * {@code maxQueuedIncoming} messages, after which the client stops reading from the broker
     * until they are taken.
     *
     * <p>It receives messages while it is being consumed: from the first call of its
     * {@code iterator()} on. A message goes to every stream being consumed: this one, and each
     * {@link Subscription} being consumed whose filters match it, once each; it is acknowledged
     * once every one of them has given it out, so keep taking from each (a broker sends only so
     * many unacknowledged messages). A subscription nobody reads gets nothing and holds nothing
     * back, so subscribing and ignoring the result while iterating here is fine:
     *
     * <pre>{@code
     * client.subscribe("temperature/#", Qos.AT_LEAST_ONCE); // not closed: that would unsubscribe
     * for (MqttMessage message : client.messages()) {
     *     System.out.println(message.topic() + ": " + message.payloadAsString());
     * }
     * }</pre>
     *
     * <p>Messages that come before any stream is consumed, such as retained messages right after
     * a SUBSCRIBE, are held (at most {@code maxQueuedIncoming}, then the client stops reading)
     * for the first matching stream that starts being consumed, which gets them first, in order.
     * The same goes for the QoS 1/2 messages a resumed session ({@link ConnectResult#sessionPresent()})
     * delivers right after connecting: they stay unacknowledged until this stream or a
     * {@link Subscription} whose filters match claims them.
     *
     * @return the stream of all incoming messages, the same every call
     */
    public Iterable<MqttMessage> messages() {
        MessageStream<MqttMessage> stream = session.allMessages();
        return new Iterable<>() {
            @Override
            public Iterator<MqttMessage> iterator() {
                return new Subscription.StreamIterator(stream);
            }
        };
    }

    // --- the connection ---

    /**
     * Where the connection stands.
     *
     * <pre>{@code
     * boolean up = client.state() == ConnectionState.CONNECTED;
     * }</pre>
     *
     * @return connected, reconnecting, or closed
     */
    public ConnectionState state() {
        return session.state();
    }

    /**
     * Waits until the client is connected: at once when it is, or until a reconnect succeeds.
     *
     * <pre>{@code
     * client.awaitConnected(Duration.ofSeconds(30));
     * }</pre>
     *
     * @param timeout the longest wait
     * @throws MqttException if the client is closed, or still not connected after {@code timeout};
     *                       the message names the last cause of the loss
     */
    public void awaitConnected(Duration timeout) throws MqttException {
        session.awaitConnected(timeout);
    }

    /**
     * The connection's events from now on — connected, lost, reconnecting, closed — in order.
     * Iterating blocks for the next event and ends once the client is closed. Each iterable keeps
     * the latest 256 events not yet taken; older ones are dropped and logged.
     *
     * <pre>{@code
     * Thread.ofVirtual().start(() -> {
     *     for (ConnectionEvent event : client.connectionEvents()) {
     *         System.out.println(event);
     *     }
     * });
     * }</pre>
     *
     * @return the events from now on
     */
    public Iterable<ConnectionEvent> connectionEvents() {
        return session.connectionEvents();
    }

    /**
     * Calls {@code listener} for every connection event from now on, on a virtual thread of its
     * own. To see the first connection too, use {@link MqttClientBuilder#connectionListener}.
     *
     * @param listener called for each event; exceptions it throws are logged
     */
    public void addConnectionListener(java.util.function.Consumer<? super ConnectionEvent> listener) {
        session.addConnectionListener(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * A snapshot of the client's counters: messages and bytes in and out, in flight, queue
     * depths, dropped messages, reconnects and publish acknowledgement latency.
     *
     * <pre>{@code
     * ClientMetrics metrics = client.metrics();
     * }</pre>
     *
     * @return the counters now
     */
    public ClientMetrics metrics() {
        return session.metrics();
    }

    // --- close ---

    /**
     * Waits (bounded by the close timeout) for QoS 1/2 publishes in flight, sends DISCONNECT, ends
     * every iterator and subscription, and frees the socket and threads. Idempotent and safe from
     * any thread; afterwards every call throws {@code IllegalStateException("client is closed")}.
     */
    @Override
    public void close() {
        session.close(false);
    }

    /**
     * Like {@link #close()}, but asks an MQTT 5 broker to publish the will anyway (DISCONNECT with
     * reason code 0x04). With MQTT 3.1.1 the will is not sent, as in a normal close.
     */
    public void closeWithWill() {
        session.close(true);
    }

    /**
     * Like {@link #close()}, with an MQTT 5 DISCONNECT that carries what {@code disconnect} says:
     * a reason code (0x04 has the broker publish the will), a reason string, user properties and
     * a new session expiry (zero ends the session the broker would otherwise keep). Sent only if
     * the client is connected at the time; while it reconnects there is no connection to send it on.
     *
     * <pre>{@code
     * client.close(DisconnectRequest.newBuilder().sessionExpiry(Duration.ZERO).reasonString("decommissioned").build());
     * }</pre>
     *
     * @param disconnect what the DISCONNECT says
     * @throws IllegalArgumentException before anything is closed, if the client speaks MQTT 3.1.1
     *     and the request is more than a normal disconnection, or it sets a non-zero session
     *     expiry though the client connected with none [MQTT-3.14.2-2]
     */
    public void close(DisconnectRequest disconnect) {
        session.close(java.util.Objects.requireNonNull(disconnect, "disconnect"));
    }

    /** {@return whether the client's reader and keep-alive threads have ended; true after close} */
    boolean threadsEnded() {
        return session.threadsEnded();
    }

    /**
     * Waits for an operation, unwrapping its failure. The description is {@code action} and
     * {@code subject}, joined only when something went wrong: nothing is built per call.
     *
     * @param replyTimeout for a request, how long its reply may take (its future fails with a
     *     {@code TimeoutException} after that); null for operations the broker answers itself
     */
    private <T> T await(CompletableFuture<T> future, Duration wait, String action, Object subject,
                        Duration replyTimeout) throws MqttException {
        try {
            return future.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw timedOut(action, subject, replyTimeout != null ? replyTimeout : wait, replyTimeout != null);
            }
            if (cause instanceof MqttException mqtt) {
                throw mqtt;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, action + " " + subject + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw timedOut(action, subject, replyTimeout != null ? replyTimeout : wait, replyTimeout != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, action + " " + subject + " interrupted", e);
        }
    }

    private static MqttException timedOut(String action, Object subject, Duration after, boolean isRequest) {
        return new MqttException(ReasonCode.UNSPECIFIED_ERROR, action + " " + subject + ": "
                + (isRequest ? "no reply" : "no answer from the broker") + " within " + after);
    }
}
