package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.ServerSelection;
import dev.tether.mqtt.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The builder's options for surviving a lost connection: in which order the servers are tried,
 * whether a broker's Server Reference is followed, the backoff between reconnects (none: no
 * reconnecting), where the session state is kept, and who hears of the connection's events.
 * Held for {@code MqttClientBuilder}, which documents each.
 *
 * <pre>{@code
 * ResilienceOptions resilience = new ResilienceOptions().reconnect(Backoff.fixed(Duration.ofSeconds(1)));
 * }</pre>
 */
public final class ResilienceOptions {

    private ServerSelection serverSelection = ServerSelection.IN_ORDER;
    private boolean followServerReference;
    private Backoff backoff = Backoff.defaults();
    private SessionStore sessionStore = SessionStore.inMemory();
    private final List<Consumer<? super ConnectionEvent>> connectionListeners = new ArrayList<>();

    /** Options as {@code MqttClientBuilder} starts with them. */
    public ResilienceOptions() {
    }

    public ResilienceOptions serverSelection(ServerSelection selection) {
        this.serverSelection = Objects.requireNonNull(selection, "selection");
        return this;
    }

    public ResilienceOptions followServerReference(boolean follow) {
        this.followServerReference = follow;
        return this;
    }

    /** With the default backoff, or (false) not at all. */
    public ResilienceOptions reconnect(boolean reconnect) {
        this.backoff = reconnect ? Backoff.defaults() : null;
        return this;
    }

    public ResilienceOptions reconnect(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    public ResilienceOptions sessionStore(SessionStore store) {
        this.sessionStore = Objects.requireNonNull(store, "store");
        return this;
    }

    public ResilienceOptions connectionListener(Consumer<? super ConnectionEvent> listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    ServerSelection serverSelection() {
        return serverSelection;
    }

    boolean followServerReference() {
        return followServerReference;
    }

    /** {@return the waits between reconnect attempts, or null for no reconnecting} */
    Backoff backoff() {
        return backoff;
    }

    SessionStore sessionStore() {
        return sessionStore;
    }

    List<Consumer<? super ConnectionEvent>> connectionListeners() {
        return connectionListeners;
    }
}
