package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Pingreq;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's keep-alive: when a packet last went out and last came in, the PINGREQ due half
 * an interval after the last packet sent or received, whichever is earlier, and the verdict "dead"
 * exactly 1.5 intervals after the last packet received.
 *
 * <p>One task at a time waits on the shared {@link ConnectionTimer}, for the nearer of the two
 * deadlines. A packet does not move it: the reader and the writer only note the time (a volatile
 * write). When the task runs and finds that traffic moved the deadline since, it schedules itself
 * again for the time that remains. An idle connection so wakes the timer about twice an interval,
 * once per PINGREQ; a busy one no more often; and a silent broker is found out on time, not up to a
 * check interval late.
 *
 * <pre>{@code
 * KeepAlive keepAlive = new KeepAlive(connection, name);
 * keepAlive.start(Duration.ofSeconds(30));
 * keepAlive.received(); // by the reader, for every packet
 * keepAlive.stop();
 * }</pre>
 */
final class KeepAlive {

    private final MqttConnection connection;
    private final String name;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile long lastSentNanos = System.nanoTime();
    private volatile boolean readerWaiting;
    private long intervalNanos;
    private volatile ScheduledFuture<?> task;
    private volatile boolean stopped;
    /** The latest thread started to ping or to end the connection; joined on close. */
    private volatile Thread action;
    /** Set while a PINGREQ is being written, so a slow write is not joined by a second one. */
    private final AtomicBoolean pinging = new AtomicBoolean();

    KeepAlive(MqttConnection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** Schedules the first check, unless {@code interval} is zero (no keep-alive). */
    void start(Duration interval) {
        if (interval.isZero()) {
            return;
        }
        intervalNanos = interval.toNanos();
        schedule(intervalNanos / 2);
    }

    /** A packet came in, or the reader is done handing one over. */
    void received() {
        lastReceivedNanos = System.nanoTime();
    }

    /** A packet went out. */
    void sent() {
        lastSentNanos = System.nanoTime();
    }

    /**
     * Whether the reader waits for room in a full message stream. The silence clock stops meanwhile:
     * the client itself stopped reading. The reader calls {@link #received()} once it goes on.
     */
    void readerWaiting(boolean waiting) {
        readerWaiting = waiting;
    }

    /** Cancels the check for good; the connection is closed. */
    void stop() {
        stopped = true;
        ScheduledFuture<?> scheduled = task;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    Thread action() {
        return action;
    }

    /**
     * Runs on the shared {@link ConnectionTimer}, so it must not block: the PINGREQ write (which
     * waits when the socket's buffer is full) and the closing of a dead connection run on a
     * virtual thread of their own.
     */
    private void check() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long deadAfter = intervalNanos + intervalNanos / 2;
        long silence = now - lastReceivedNanos;
        long deadIn = readerWaiting ? deadAfter : deadAfter - silence;
        if (deadIn <= 0) {
            stopped = true;
            // Not skipped while a PINGREQ write is stuck on a full socket buffer: closing the
            // socket is what ends that write.
            action = Thread.ofVirtual().name("tether-keepalive-" + name).start(() -> connection.fail(new MqttException(
                    ReasonCode.KEEP_ALIVE_TIMEOUT, "broker " + name + " sent nothing for " + Duration.ofNanos(silence).toMillis()
                    + " ms, 1.5 times the keep alive of " + Duration.ofNanos(intervalNanos) + ": connection declared dead")));
            return;
        }
        // A PINGREQ half an interval after the last packet sent, so the interval never passes
        // without one [MQTT-3.1.2-20] even when the timer runs late under load; a broker may allow
        // no more than the interval (HiveMQ CE does for a keep alive of 1 s). And half an interval
        // after the last packet received: a client that only sends (QoS 0 publishes) would
        // otherwise hear nothing from a healthy broker and declare it dead. A tenth of an
        // interval early counts as due: the PINGREQ written on the previous run went out a moment
        // after that run, and waiting for that moment would cost a second run.
        long half = intervalNanos / 2;
        long quiet = Math.max(now - lastSentNanos, readerWaiting ? 0 : silence);
        long pingIn = half - quiet;
        if (pingIn <= intervalNanos / 10) {
            if (pinging.compareAndSet(false, true)) {
                action = Thread.ofVirtual().name("tether-keepalive-" + name).start(() -> {
                    try {
                        connection.trySend(Pingreq.INSTANCE);
                    } finally {
                        pinging.set(false);
                    }
                });
            }
            pingIn = half; // also while a PINGREQ is still stuck in its write: no earlier check helps
        }
        schedule(Math.min(deadIn, pingIn));
    }

    private void schedule(long delayNanos) {
        ScheduledFuture<?> next = ConnectionTimer.after(delayNanos, this::check);
        task = next;
        // stop() sets stopped before it reads task: either it cancels this task, or this sees stopped.
        if (stopped) {
            next.cancel(false);
        }
    }
}
