package dev.tether.cli;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces out the messages of one sender to a given rate, against a fixed schedule so that a slow
 * send is caught up on rather than lowering the rate.
 */
final class Pacer {

    private final long intervalNanos;
    private long next;

    /** @param perSecond messages per second; 0 or less for no limit */
    Pacer(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        this.next = System.nanoTime();
    }

    /** Waits until the next message is due. */
    void await() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        next += intervalNanos;
    }
}
