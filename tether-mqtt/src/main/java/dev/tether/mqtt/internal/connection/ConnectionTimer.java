package dev.tether.mqtt.internal.connection;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer for every connection in the JVM: the keep-alive deadlines, and the deadline of a close.
 * A thread per connection that only wakes every few seconds costs its stack (about 2.5 KiB parked)
 * for nothing: with thousands of idle clients in one JVM that was the largest part of their
 * memory. Here one daemon thread, {@code tether-timer}, runs every connection's timed work; it
 * exists only while something is scheduled, and ends 10 seconds after the last task is done or
 * cancelled.
 *
 * <p>A task must never block this thread: whatever may wait (writing a PINGREQ to a stalled
 * socket, closing a connection) runs on a virtual thread of its own.
 *
 * <pre>{@code
 * ScheduledFuture<?> check = ConnectionTimer.after(Duration.ofSeconds(15), this::check);
 * ...
 * check.cancel(false);
 * }</pre>
 */
final class ConnectionTimer {

    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private ConnectionTimer() {
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("tether-timer").daemon().factory());
        // Cancelled tasks leave the queue at once, so closed connections are not kept reachable
        // until their next tick, and the thread can end when the last connection closed.
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** Runs {@code task} once after {@code delayNanos}, unless the returned future is cancelled first. */
    static ScheduledFuture<?> after(long delayNanos, Runnable task) {
        return TIMER.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} once after {@code delay}, unless the returned future is cancelled first. */
    static ScheduledFuture<?> after(Duration delay, Runnable task) {
        return after(delay.toNanos(), task);
    }
}
