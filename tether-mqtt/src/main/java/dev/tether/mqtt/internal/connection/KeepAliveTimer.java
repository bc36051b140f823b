package dev.tether.mqtt.internal.connection;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer for the keep-alive checks of every connection in the JVM. A thread per connection
 * that only wakes every few seconds costs its stack (about 2.5 KiB parked) for nothing: with
 * thousands of idle clients in one JVM that was the largest part of their memory. Here one daemon
 * thread, {@code tether-keepalive}, runs the checks; it exists only while some connection has a
 * check scheduled, and ends 10 seconds after the last one is cancelled.
 *
 * <p>A check must never block this thread: whatever may wait (writing a PINGREQ to a stalled
 * socket, closing a dead connection) runs on a virtual thread of its own.
 *
 * <pre>{@code
 * ScheduledFuture<?> check = KeepAliveTimer.every(Duration.ofSeconds(15).toNanos(), this::checkKeepAlive);
 * ...
 * check.cancel(false);
 * }</pre>
 */
final class KeepAliveTimer {

    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private KeepAliveTimer() {
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("tether-keepalive").daemon().factory());
        // Cancelled checks leave the queue at once, so closed connections are not kept reachable
        // until their next tick, and the thread can end when the last connection closed.
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** Runs {@code check} every {@code periodNanos}, first after one period, until the returned future is cancelled. */
    static ScheduledFuture<?> every(long periodNanos, Runnable check) {
        return TIMER.scheduleAtFixedRate(check, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }
}
