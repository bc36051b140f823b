package dev.tether.mqtt.testkit;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The faults a {@link FaultProxy} has switched on, and the wait of a connection's writer until
 * they let a chunk through. Each setting is described at its method of {@link FaultProxy}.
 */
final class Faults {

    /** A connection's byte limits, taken when it is accepted; negative for none. */
    record ByteLimits(long fromClient, long fromServer) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a fault changes: writers re-check whether they may write. */
    private final Condition changed = lock.newCondition();

    // Written under the lock (so that waiting writers see the change), read anywhere.
    private volatile boolean refuseNew;
    private volatile long delayNanos;
    private volatile long bytesPerSecond;
    private volatile boolean blackhole;
    private volatile long closeAfterClientBytes = -1;
    private volatile long closeAfterServerBytes = -1;

    void refuseNew(boolean refuse) {
        change(() -> refuseNew = refuse);
    }

    void delay(long nanos) {
        change(() -> delayNanos = nanos);
    }

    void throttle(long bytesPerSecond) {
        change(() -> this.bytesPerSecond = bytesPerSecond);
    }

    void blackhole(boolean on) {
        change(() -> blackhole = on);
    }

    void closeAfterClientBytes(long n) {
        change(() -> closeAfterClientBytes = n);
    }

    void closeAfterServerBytes(long n) {
        change(() -> closeAfterServerBytes = n);
    }

    void heal() {
        change(() -> {
            refuseNew = false;
            delayNanos = 0;
            bytesPerSecond = 0;
            blackhole = false;
            closeAfterClientBytes = -1;
            closeAfterServerBytes = -1;
        });
    }

    private void change(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean refusesNew() {
        return refuseNew;
    }

    /** The bandwidth limit per direction of a connection; 0 for none. */
    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The byte limits for a connection accepted now, both taken together. */
    ByteLimits byteLimits() {
        lock.lock();
        try {
            return new ByteLimits(closeAfterClientBytes, closeAfterServerBytes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a chunk read at {@code readAt} may be written: no blackhole, its delay over, and
     * the throttle's {@code nextFree} reached.
     *
     * @return the time it may
     */
    long awaitTurn(long readAt, long nextFree) throws InterruptedException {
        if (!blackhole && delayNanos == 0 && bytesPerSecond == 0) {
            return System.nanoTime();
        }
        lock.lock();
        try {
            while (true) {
                if (blackhole) {
                    changed.await();
                    continue;
                }
                long now = System.nanoTime();
                long wait = readAt + delayNanos - now;
                if (bytesPerSecond > 0) {
                    wait = Math.max(wait, nextFree - now);
                }
                if (wait <= 0) {
                    return now;
                }
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The faults switched on, each as {@code ", name"} or {@code ", name=value"}; empty for none. */
    String describe() {
        return (refuseNew ? ", refuseNew" : "")
                + (delayNanos > 0 ? ", delay=" + Duration.ofNanos(delayNanos) : "")
                + (bytesPerSecond > 0 ? ", throttle=" + bytesPerSecond + " B/s" : "")
                + (blackhole ? ", blackhole" : "")
                + (closeAfterClientBytes >= 0 ? ", closeAfterBytes=" + closeAfterClientBytes : "")
                + (closeAfterServerBytes >= 0 ? ", closeAfterServerBytes=" + closeAfterServerBytes : "");
    }
}
