package dev.tether.mqtt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ProxyThreads}: close waits for every thread of a proxy. */
@Timeout(60)
class ProxyThreadsTest {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ProxyThreads threads = new ProxyThreads("test-proxy");

    @Test
    void namesEachThreadAfterTheProxy() {
        Thread thread = threads.newThread("0-connect", () -> { });
        assertEquals("test-proxy-0-connect", thread.getName());
        assertTrue(thread.isVirtual());
    }

    @Test
    void joinAllReturnsOnlyOnceEveryThreadHasTerminated() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread thread = threads.newThread("worker-" + i, () -> await(release));
            thread.start();
            started.add(thread);
        }
        Thread joiner = Thread.ofVirtual().start(this::joinAll);
        awaitState(joiner, Thread.State.TIMED_WAITING); // in a join, the workers still running
        assertTrue(started.stream().allMatch(Thread::isAlive));

        release.countDown();
        joiner.join(Duration.ofNanos(WAIT_NANOS));

        assertFalse(joiner.isAlive(), "joinAll returned");
        for (Thread thread : started) {
            assertEquals(Thread.State.TERMINATED, thread.getState(), thread.getName());
        }
    }

    @Test
    void joinAllWaitsForTheThreadsMadeWhileItWaits() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> second = new AtomicReference<>();
        Thread first = threads.newThread("connect", () -> {
            await(go);
            Thread worker = threads.newThread("read", () -> await(release));
            second.set(worker);
            worker.start();
        });
        first.start();
        Thread joiner = Thread.ofVirtual().start(this::joinAll);
        awaitState(joiner, Thread.State.TIMED_WAITING); // joining the first

        go.countDown(); // the first makes the second and ends
        first.join(Duration.ofNanos(WAIT_NANOS));
        awaitState(joiner, Thread.State.TIMED_WAITING); // now joining the second
        assertTrue(joiner.isAlive() && second.get().isAlive(), "joinAll waits for the thread made meanwhile");

        release.countDown();
        joiner.join(Duration.ofNanos(WAIT_NANOS));
        assertFalse(joiner.isAlive(), "joinAll returned");
        assertEquals(Thread.State.TERMINATED, first.getState());
        assertEquals(Thread.State.TERMINATED, second.get().getState());
    }

    @Test
    void joinAllGivesUpAtTheDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = threads.newThread("stuck", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.start();

        threads.joinAll(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));

        assertTrue(stuck.isAlive());
        release.countDown();
        threads.joinAll(System.nanoTime() + WAIT_NANOS);
        assertEquals(Thread.State.TERMINATED, stuck.getState());
    }

    private void joinAll() {
        try {
            threads.joinAll(System.nanoTime() + WAIT_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, at most 10 s, until the thread is in that state. */
    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        CountDownLatch never = new CountDownLatch(1);
        while (thread.getState() != state) {
            assertTrue(System.nanoTime() < deadline, thread + " never " + state + ", is " + thread.getState());
            never.await(1, TimeUnit.MILLISECONDS);
        }
    }
}
