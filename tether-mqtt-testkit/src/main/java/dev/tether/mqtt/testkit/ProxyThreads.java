package dev.tether.mqtt.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads of one {@link FaultProxy}: each is made here, virtual and named after the proxy, and
 * kept until it has terminated, so that {@link #joinAll(long)} waits for every one still running.
 * A thread that removed itself on its way out could still be alive when the proxy is closed.
 */
final class ProxyThreads {

    /** Terminated threads are dropped once this many are kept, so a long-lived proxy keeps few. */
    private static final int PRUNE_AT_LEAST = 64;

    private final String prefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Thread> kept = new ArrayList<>(); // guarded by lock
    private int pruneAt = PRUNE_AT_LEAST; // guarded by lock

    ProxyThreads(String prefix) {
        this.prefix = prefix;
    }

    /** A virtual thread named {@code <prefix>-<role>}, not started, kept until it has terminated. */
    Thread newThread(String role, Runnable task) {
        Thread thread = Thread.ofVirtual().name(prefix + "-" + role).unstarted(task);
        lock.lock();
        try {
            if (kept.size() >= pruneAt) {
                kept.removeIf(ProxyThreads::terminated);
                pruneAt = Math.max(PRUNE_AT_LEAST, 2 * kept.size());
            }
            kept.add(thread);
        } finally {
            lock.unlock();
        }
        return thread;
    }

    /**
     * Waits until every thread made here has terminated, those made meanwhile too, or until
     * {@code deadline} (a {@link System#nanoTime()}) has passed.
     */
    void joinAll(long deadline) throws InterruptedException {
        while (deadline - System.nanoTime() > 0) {
            List<Thread> running;
            lock.lock();
            try {
                kept.removeIf(ProxyThreads::terminated);
                running = List.copyOf(kept);
            } finally {
                lock.unlock();
            }
            if (running.isEmpty()) {
                return;
            }
            for (Thread thread : running) {
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

    private static boolean terminated(Thread thread) {
        return thread.getState() == Thread.State.TERMINATED;
    }
}
