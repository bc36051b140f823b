package dev.tether.mqtt.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that nothing signals (a metric, a recording, another process's state),
 * looking again every 10 ms, up to a timeout. It returns as soon as the condition holds, so a
 * generous timeout costs nothing on a fast machine. Where something can signal, wait on a latch
 * or a future instead.
 *
 * <pre>{@code
 * assertTrue(Poll.until(Duration.ofSeconds(10), () -> client.metrics().queuedIncoming() == 0),
 *         "the stream was emptied");
 * }</pre>
 */
public final class Poll {

    private Poll() {
    }

    /**
     * Waits until {@code condition} holds or {@code timeout} has passed.
     *
     * @param timeout how long to wait at most
     * @param condition what to wait for
     * @return whether the condition held in time
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CountDownLatch never = new CountDownLatch(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            never.await(10, TimeUnit.MILLISECONDS);
        }
        return true;
    }
}
