package dev.tether.mqtt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        CountDownLatch finishing = new CountDownLatch(3);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread thread = threads.newThread("worker-" + i, () -> {
                finishing.countDown();
                sleep(200); // still alive after it has said it is done
            });
            thread.start();
            started.add(thread);
        }
        assertTrue(finishing.await(10, TimeUnit.SECONDS));

        threads.joinAll(System.nanoTime() + WAIT_NANOS);

        for (Thread thread : started) {
            assertEquals(Thread.State.TERMINATED, thread.getState(), thread.getName());
        }
    }

    @Test
    void joinAllWaitsForTheThreadsMadeWhileItWaits() throws Exception {
        AtomicReference<Thread> second = new AtomicReference<>();
        Thread first = threads.newThread("connect", () -> {
            sleep(100);
            Thread worker = threads.newThread("read", () -> sleep(200));
            second.set(worker);
            worker.start();
        });
        first.start();

        threads.joinAll(System.nanoTime() + WAIT_NANOS);

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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
