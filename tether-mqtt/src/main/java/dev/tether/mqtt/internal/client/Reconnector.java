package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.internal.transport.Endpoint;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * After a lost connection, tries to connect again until it succeeds or the client closes: waits
 * as the {@link Backoff} says, tries the next server, and hands an accepted connection to the
 * session. Runs on its own virtual thread, one loop per loss.
 */
final class Reconnector {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.connection");

    private final Connector connector;
    private final Backoff backoff;
    private final ClientSession session;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;

    Reconnector(Connector connector, Backoff backoff, ClientSession session) {
        this.connector = connector;
        this.backoff = backoff;
        this.session = session;
    }

    /** Starts the loop after {@code cause} ended the connection. */
    void start(MqttException cause) {
        connector.lost(cause);
        if (stopped.getCount() > 0) {
            thread = Thread.ofVirtual().name("tether-reconnect").start(this::run);
        }
    }

    private void run() {
        for (int attempt = 1; ; attempt++) {
            Endpoint server = connector.next(attempt);
            Duration delay = backoff.delay(attempt);
            session.reconnecting(attempt, delay, server);
            try {
                if (stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                Connector.Accepted accepted = connector.reconnect(server, session.clientIdentifier());
                session.attach(accepted, true);
                return;
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.INFO, "reconnect attempt {0} to {1} failed: {2}", attempt, server.name(),
                        e.getMessage());
            }
        }
    }

    /** Ends the loop and waits for it, at most {@code timeout}. */
    void stop(Duration timeout) {
        stopped.countDown();
        Thread running = thread;
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean ended() {
        Thread running = thread;
        return running == null || !running.isAlive();
    }
}
