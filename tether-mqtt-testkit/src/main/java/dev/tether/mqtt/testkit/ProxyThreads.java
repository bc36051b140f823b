package dev.tether.mqtt.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads of one {@link FaultProxy}: each is made here, virtual and named after the proxy, and
 * tracked until it ends, so that {@link #joinAll(long)} waits for every one still running.
 */
final class ProxyThreads {

    private final String prefix;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    ProxyThreads(String prefix) {
        this.prefix = prefix;
    }

    /** A virtual thread named {@code <prefix>-<role>}, not started, tracked until it ends. */
    Thread newThread(String role, Runnable task) {
        Thread thread = Thread.ofVirtual().name(prefix + "-" + role).unstarted(() -> {
            try {
                task.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        return thread;
    }

    /**
     * Waits until every thread made here has ended, those made meanwhile too, or until
     * {@code deadline} (a {@link System#nanoTime()}) has passed.
     */
    void joinAll(long deadline) throws InterruptedException {
        while (!threads.isEmpty() && deadline - System.nanoTime() > 0) {
            for (Thread thread : List.copyOf(threads)) {
                join(thread, deadline);
            }
        }
    }

    /** Waits until {@code thread} has terminated or {@code deadline} has passed. */
    static void join(Thread thread, long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining > 0) {
            thread.join(Duration.ofNanos(remaining));
        }
    }
}
