package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.ClientMetrics;
import dev.tether.mqtt.ConnectResult;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.DisconnectRequest;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.TopicFilter;
import dev.tether.mqtt.UnsubscribeResult;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.connection.Traffic;
import dev.tether.mqtt.internal.session.MemoryStateStore;
import dev.tether.mqtt.internal.session.MessageStream;
import dev.tether.mqtt.internal.session.StateStore;
import dev.tether.mqtt.internal.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One client across all its connections, and the engine's one entry point: every call of
 * {@code MqttClient} and {@code Subscription} comes here ({@link ApiAccess} is the way back).
 * Owns the connection's lifecycle — a link comes, is lost, is replaced by a reconnect or ends the
 * session — and the end of the session; hands the rest to its parts: {@link Publisher} and
 * {@link Subscriptions} on the callers' threads, {@link InboundFlows} and {@link MessageRouter}
 * on the links' reader threads, {@link OutboundFlows} for every flow that waits for the broker.
 * Each connection and its per-connection state is a {@link Link}. Never calls user code.
 *
 * <pre>{@code
 * ClientSession session = ClientSession.connect(connect, flow, network, resilience);
 * session.publish(message).join();
 * }</pre>
 */
public final class ClientSession {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");
    private static final Duration MINIMUM_CLOSE_DEADLINE = Duration.ofSeconds(1);

    private final ClientOptions options;
    /** The CONNECT as configured: what each CONNACK answers. */
    private final Connect connect;
    private final StateStore store;
    private final OutboundFlows outbound;
    private final Traffic traffic;
    private final ConnectionEvents events;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final LongAdder droppedIncoming = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final MessageRouter router;
    private final InboundFlows inbound;
    private final Subscriptions subscriptions;
    private final Publisher publisher;
    /** Guards the link, the state and the epochs; signalled when the state changes. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();
    private volatile Link link;
    /** The latest link, kept after it is lost so close() can wait for its threads. */
    private volatile Link lastLink;
    private volatile ConnectionState state = ConnectionState.RECONNECTING;
    private volatile ConnectResult lastResult;
    private volatile String clientIdentifier;
    private volatile MqttException lastCause;
    private volatile MqttException failure;
    /** Reconnects after a loss; without one, a lost connection closes the client. */
    private Reconnector reconnector;
    private int epochs;

    private ClientSession(ClientOptions options, Connect connect, StateStore store, OutboundFlows outbound, Traffic traffic,
                  ConnectionEvents events, String clientIdentifier) {
        this.options = options;
        this.connect = connect;
        this.store = store;
        this.outbound = outbound;
        this.traffic = traffic;
        this.events = events;
        this.clientIdentifier = clientIdentifier;
        Replies replies = new Replies();
        this.router = new MessageRouter(options, ended, droppedIncoming);
        this.inbound = new InboundFlows(this, options, store, outbound, replies, router);
        this.subscriptions = new Subscriptions(this, options, outbound, router, replies, droppedIncoming);
        this.publisher = new Publisher(this, options, outbound, replies);
    }

    /**
     * Connects as the options say and returns the session once the broker accepted.
     *
     * @throws MqttException if no server accepted the connection
     */
    public static ClientSession connect(ConnectOptions connect, FlowOptions flow, NetworkOptions network,
                                        ResilienceOptions resilience) throws MqttException {
        String clientId = connect.clientIdentifier();
        Connect first = connect.packet(clientId, flow.maxQueuedIncoming());
        ClientOptions options = flow.clientOptions(connect);
        Traffic traffic = new Traffic();
        ApiAccess api = ApiAccess.api();
        if (api.isDurable(resilience.sessionStore()) && connect.identifierEmpty()) {
            throw new IllegalArgumentException("a durable session store needs a client identifier: the broker's assigned"
                    + " identifier changes with every connection, so no later process could find the session again");
        }
        Connector connector = new Connector(network.servers(), network.transportOptions(connect.protocol()),
                resilience.serverSelection(), resilience.followServerReference(), first, connect.maximumPacketSize(),
                flow.connectTimeout(), traffic);
        ConnectionEvents events = new ConnectionEvents();
        resilience.connectionListeners().forEach(events::addListener); // they end with the Closed event, emitted on failure below
        StateStore store = api.stateStore(resilience.sessionStore());
        ClientSession session = new ClientSession(options, first, store, flow.outboundFlows(store, connect.protocol()),
                traffic, events, clientId);
        Connector.Accepted accepted;
        try {
            session.recover(store.open(clientId));
            accepted = connector.connectFirst();
        } catch (MqttException | RuntimeException e) {
            store.close();
            events.emit(new ConnectionEvent.Closed(e instanceof MqttException mqtt ? mqtt : null));
            throw e;
        }
        if (resilience.backoff() != null) {
            session.reconnector = new Reconnector(connector, resilience.backoff(), session);
        }
        session.attach(accepted, false);
        return session;
    }

    /** Takes back what a durable store kept from an earlier run with this identifier. */
    private void recover(StateStore.Recovered recovered) {
        outbound.recover(recovered);
        inbound.recover(recovered.incoming());
    }

    // --- what the API calls ---

    /** {@return what the broker said when it accepted the latest connection} */
    public ConnectResult connected() {
        return lastResult;
    }

    /** {@return connected, reconnecting, or closed} */
    public ConnectionState state() {
        return state;
    }

    /** {@return how long a blocking call waits for a publish slot or the broker's reply} */
    public Duration operationTimeout() {
        return options.operationTimeout();
    }

    /** Publishes; the future completes when the flow does. */
    public CompletableFuture<PublishResult> publish(MqttMessage message) {
        return publisher.publish(message);
    }

    /** MQTT 5 request/response: publishes {@code request} and completes with its reply. */
    public CompletableFuture<MqttMessage> request(MqttMessage request, Duration timeout) {
        return publisher.request(request, timeout);
    }

    /** Subscribes; the future completes with the SUBACK. */
    public CompletableFuture<Subscription> subscribe(SubscribeRequest request) {
        return subscriptions.subscribe(request);
    }

    /** Closes a subscription: unsubscribes the filters no other open subscription uses. */
    public CompletableFuture<Void> unsubscribe(Subscription subscription) {
        return subscriptions.unsubscribe(subscription);
    }

    /**
     * Unsubscribes filters, whichever subscription asked for them, with MQTT 5 user properties;
     * the application's call, so a closed client or a lost connection fails it.
     */
    public CompletableFuture<UnsubscribeResult> unsubscribeFilters(List<String> filters, List<UserProperty> userProperties) {
        try {
            checkUsable();
        } catch (MqttException e) {
            return CompletableFuture.failedFuture(e);
        }
        return subscriptions.unsubscribeFilters(filters, userProperties);
    }

    /** {@return the stream of every incoming message, made on first use} */
    public MessageStream<MqttMessage> allMessages() {
        return router.allMessages(subscriptions::newStream, () -> failure);
    }

    /** {@return the connection's events from now on, until the client is closed} */
    public Iterable<ConnectionEvent> connectionEvents() {
        return events.subscribe();
    }

    /** Runs {@code listener} for each connection event from now on, on a virtual thread of its own. */
    public void addConnectionListener(Consumer<? super ConnectionEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Closes once: the first call closes, later ones return at once.
     *
     * @param withWill whether an MQTT 5 broker is asked to publish the will anyway
     */
    public void close(boolean withWill) {
        closeOnce(withWill && options.protocol() == ProtocolVersion.V5
                ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY) : Disconnect.NORMAL);
    }

    /**
     * Closes once, with the DISCONNECT {@code request} describes.
     *
     * @throws IllegalArgumentException if the request does not fit the CONNECT (see {@link Disconnects})
     */
    public void close(DisconnectRequest request) {
        closeOnce(Disconnects.packet(request, connect));
    }

    private void closeOnce(Disconnect disconnect) {
        if (options.closing().compareAndSet(false, true)) {
            close(options.closeTimeout(), disconnect);
        }
    }

    // --- what the parts ask ---

    String clientIdentifier() {
        return clientIdentifier;
    }

    /** {@return the current link, or null while there is none} */
    Link link() {
        return link;
    }

    /** {@return why the latest link was lost, or null} */
    MqttException lastCause() {
        return lastCause;
    }

    boolean isEnded() {
        return ended.get();
    }

    // --- connections come and go ---

    /**
     * Makes an accepted connection the session's link. A resumed session gets its unacknowledged
     * flows again; a new one (the broker kept nothing) gets every open subscription again.
     */
    void attach(Connector.Accepted accepted, boolean reconnect) {
        Link newLink;
        stateLock.lock();
        try {
            if (ended.get() || options.isClosing()) {
                accepted.opened().connection().abandon();
                return;
            }
            ConnectResult result = ConnectResults.of(connect, accepted.opened().connack(), clientIdentifier);
            newLink = new Link(accepted.opened().connection(), result, ++epochs, accepted.server().toString(), this, inbound);
            clientIdentifier = result.clientIdentifier();
            lastResult = result;
            if (!result.sessionPresent()) {
                inbound.forgetIncomingState();
            }
            link = newLink;
            lastLink = newLink;
            state = ConnectionState.CONNECTED;
            if (reconnect) {
                reconnects.increment();
            }
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
        newLink.connection.start(newLink, newLink.result.keepAlive());
        List<TopicFilter> resubscribed = newLink.result.sessionPresent() ? List.of() : subscriptions.resubscribe();
        outbound.attach(newLink);
        if (reconnect) {
            LOG.log(System.Logger.Level.INFO, "reconnected to {0}, session {1}{2}", newLink.server,
                    newLink.result.sessionPresent() ? "resumed" : "new", resubscribed.isEmpty() ? ""
                            : ", subscribed again to " + resubscribed);
        }
        stateLock.lock();
        try {
            // Under the lock that orders link changes: a link lost meanwhile announced its loss
            // already, and announcing it connected now would put the events out of order.
            if (link == newLink) {
                events.emit(new ConnectionEvent.Connected(newLink.server, newLink.result, reconnect, resubscribed));
            }
        } finally {
            stateLock.unlock();
        }
    }

    /** The link's connection ended: reconnect, or end the session. */
    void linkClosed(Link closed, MqttException cause) {
        stateLock.lock();
        try {
            if (link != closed) {
                return;
            }
            link = null;
            if (cause != null) {
                lastCause = cause;
            }
            if (reconnects(cause)) {
                state = ConnectionState.RECONNECTING;
                stateChanged.signalAll();
            }
            if (cause != null && !options.isClosing()) {
                events.emit(new ConnectionEvent.Lost(cause));
            }
        } finally {
            stateLock.unlock();
        }
        outbound.detach(closed);
        if (cause == null || options.isClosing()) {
            end(null);
        } else if (!reconnects(cause)) {
            end(cause);
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection to {0} lost, reconnecting: {1}", closed.server, cause.getMessage());
            reconnector.start(cause);
        }
    }

    /**
     * Whether a loss is followed by reconnecting: not when reconnecting is off or the client is
     * closing, and not when another client took the session over (MQTT 5 reason 0x8E) — taking
     * it back would throw that client out in turn, forever.
     */
    private boolean reconnects(MqttException cause) {
        return cause != null && reconnector != null && !options.isClosing()
                && cause.reasonCode() != ReasonCode.SESSION_TAKEN_OVER;
    }

    void reconnecting(int attempt, Duration delay, Endpoint server) {
        events.emit(new ConnectionEvent.Reconnecting(attempt, delay, server.toString()));
    }

    /**
     * Waits until the client is connected.
     *
     * @throws MqttException if it is closed, or not connected within {@code timeout}
     */
    public void awaitConnected(Duration timeout) throws MqttException {
        long remaining = timeout.toNanos();
        stateLock.lock();
        try {
            while (state != ConnectionState.CONNECTED) {
                if (state == ConnectionState.CLOSED) {
                    throw failure != null ? failure : new MqttException(ReasonCode.UNSPECIFIED_ERROR, "the client is closed");
                }
                if (remaining <= 0) {
                    MqttException cause = lastCause;
                    throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "not connected within " + timeout
                            + (cause == null ? "" : "; the connection was lost: " + cause.getMessage()), cause);
                }
                remaining = stateChanged.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "interrupted while waiting for the connection", e);
        } finally {
            stateLock.unlock();
        }
    }

    // --- the end ---

    /**
     * Closes: stops reconnecting, waits for publishes in flight as long as {@code timeout} when
     * connected, then disconnects. Flows still unfinished fail with an exception saying so.
     */
    private void close(Duration timeout, Disconnect disconnect) {
        if (reconnector != null) {
            reconnector.stop(timeout);
        }
        Link current = link;
        if (current != null) {
            // Each step below waits at most the timeout, unless a write is stuck on a full socket:
            // then the deadline closes the socket under it. At least a second, so that a close
            // timeout of zero ("do not wait for publishes") still lets the DISCONNECT out, and the
            // broker does not publish the will.
            Duration twice = timeout.multipliedBy(2);
            ScheduledFuture<?> deadline = current.connection.closeAfter(twice.compareTo(MINIMUM_CLOSE_DEADLINE) < 0
                    ? MINIMUM_CLOSE_DEADLINE : twice);
            try {
                outbound.awaitPublishesDone(timeout);
                current.connection.close(disconnect, timeout);
            } finally {
                deadline.cancel(false);
            }
        } else if (lastLink != null) {
            lastLink.connection.close(null, timeout); // lost already: only waits for its threads to end
        }
        end(null);
    }

    /** Ends the session once: fails what is unfinished, ends the streams, tells the listeners. */
    private void end(MqttException cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        stateLock.lock();
        try {
            failure = cause;
            state = ConnectionState.CLOSED;
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
        MqttException reason = cause != null ? cause
                : new MqttException(ReasonCode.UNSPECIFIED_ERROR, "the client was closed before the operation completed"
                        + (store instanceof MemoryStateStore ? ""
                        : "; an unacknowledged publish stays in the session store and is sent again by the next client"
                        + " with this identifier"));
        outbound.failAll(reason);
        for (MessageStream<MqttMessage> stream : router.end()) {
            if (cause != null) {
                stream.fail(cause);
            } else {
                stream.close();
            }
        }
        store.close();
        events.emit(new ConnectionEvent.Closed(cause));
    }

    /** {@return whether the client's reader, keep-alive and reconnect threads have ended} */
    public boolean threadsEnded() {
        Link latest = lastLink;
        return (latest == null || latest.connection.threadsEnded()) && (reconnector == null || reconnector.ended());
    }

    /** Throws if the client is closed or lost its connection for good. */
    void checkUsable() throws MqttException {
        if (options.isClosing() || (ended.get() && failure == null)) {
            throw new IllegalStateException("client is closed");
        }
        MqttException lost = failure;
        if (lost != null) {
            throw new MqttException(lost.reasonCode(), "the connection is lost: " + lost.getMessage(), lost);
        }
    }

    /** MQTT 5 re-authentication on the current connection: the connection runs the exchange with its authenticator. */
    public void reauthenticate() throws MqttException {
        Duration timeout = options.operationTimeout();
        Link current = link;
        if (current == null) {
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "not connected: re-authentication needs a connection");
        }
        current.connection.reauthenticate(timeout);
    }

    /** {@return a snapshot of the client's counters} */
    public ClientMetrics metrics() {
        int queuedIncoming = router.queued();
        var latency = outbound.latency();
        return new ClientMetrics(traffic.publishesSent(), traffic.publishesReceived(), traffic.bytesSent(),
                traffic.bytesReceived(), outbound.inFlight(), outbound.queued(), queuedIncoming, droppedIncoming.sum(),
                reconnects.sum(), latency.count(), Duration.ofNanos(latency.quantile(0.5)),
                Duration.ofNanos(latency.quantile(0.99)), Duration.ofNanos(latency.maximum()));
    }
}
