package dev.tether.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The throughput scenarios (qos0, qos1, qos2, fanin, large): publishers send as fast as their
 * window allows to one subscriber through a fresh broker, which checks every message.
 */
final class ThroughputScenario extends Scenario {

    record Throughput(double sentPerSecond, double receivedPerSecond, double cpuMicrosPerMessage,
            double bytesPerMessage, double peakHeapMiB, Tally.Verdict verdict, boolean ok) { }

    ThroughputScenario(Options options, List<Library> libraries, Report report) {
        super(options, libraries, report);
    }

    void run(String title, int publishers, int perPublisher, int size, int qos, int window, boolean trackHeap)
            throws Exception {
        run(title, publishers, perPublisher, size, qos, window, trackHeap, false);
    }

    /**
     * Runs a scenario; with {@code oneClient} the publishers are threads sharing one client, as an
     * application shares its client across functions, instead of a client each.
     */
    void run(String title, int publishers, int perPublisher, int size, int qos, int window, boolean trackHeap,
             boolean oneClient) throws Exception {
        System.out.printf("%n== %s: %,d messages of %,d B, window %d%n", title, publishers * perPublisher, size, window);
        Map<Library, List<Throughput>> results = new LinkedHashMap<>();
        if (options.bool("warmup", true)) {
            for (Library library : libraries) {
                Throughput warm = runOnce(library, publishers, Math.max(1, perPublisher / 5), size, qos, window, false, oneClient);
                System.out.printf("  warm-up %-12s %,10.0f msg/s received  %s%n", library.name(), warm.receivedPerSecond,
                        warm.verdict.describe());
            }
        }
        int repeats = options.integer("repeats", 3);
        for (int r = 0; r < repeats; r++) {
            for (Library library : rotated(r)) {
                Throughput result = runOnce(library, publishers, perPublisher, size, qos, window, trackHeap, oneClient);
                results.computeIfAbsent(library, l -> new ArrayList<>()).add(result);
                System.out.printf("  run %d %-12s %,10.0f msg/s sent %,10.0f msg/s received %6.1f µs CPU/msg %,9.0f B/msg%s  %s%n",
                        r + 1, library.name(), result.sentPerSecond, result.receivedPerSecond, result.cpuMicrosPerMessage,
                        result.bytesPerMessage, trackHeap ? String.format(" peak heap %,.0f MiB", result.peakHeapMiB) : "",
                        result.verdict.describe());
            }
        }
        report.throughput(title, publishers * perPublisher, size, window, repeats, trackHeap, results);
    }

    private Throughput runOnce(Library library, int publishers, int perPublisher, int size, int qos, int window,
            boolean trackHeap, boolean oneClient) throws Exception {
        try (Broker broker = Broker.start()) {
            String prefix = "bench/";
            Tally tally = new Tally(prefix, publishers, perPublisher, size);
            List<Library.Connection> connections = new ArrayList<>();
            try {
                Library.Connection subscriber = library.connect(broker.host(), broker.port(), "sub", window);
                connections.add(subscriber);
                subscriber.subscribe(prefix + "+", qos, tally);
                Library.Connection[] publisherConnections = new Library.Connection[publishers];
                for (int p = 0; p < publishers; p++) {
                    if (oneClient && p > 0) {
                        publisherConnections[p] = publisherConnections[0];
                        continue;
                    }
                    publisherConnections[p] = library.connect(broker.host(), broker.port(), "pub-" + p,
                            oneClient ? window * publishers : window);
                    connections.add(publisherConnections[p]);
                }
                byte[] pattern = Tally.pattern(size);
                if (trackHeap) {
                    Gauges.resetPeakHeap();
                }
                CountDownLatch start = new CountDownLatch(1);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                long[] ends = new long[publishers];
                Thread[] threads = new Thread[publishers];
                for (int p = 0; p < publishers; p++) {
                    int index = p;
                    threads[p] = Thread.ofPlatform().name("bench-publisher-" + p).start(() -> {
                        Semaphore permits = new Semaphore(window);
                        Library.Completion completion = new Library.Completion() {
                            @Override
                            public void done() {
                                permits.release();
                            }

                            @Override
                            public void failed(Throwable cause) {
                                failure.compareAndSet(null, cause);
                                permits.release();
                            }
                        };
                        String topic = prefix + index;
                        try {
                            start.await();
                            for (int sequence = 0; sequence < perPublisher; sequence++) {
                                permits.acquire();
                                publisherConnections[index].publish(topic, Tally.payload(pattern, index, sequence), qos, completion);
                            }
                            if (!permits.tryAcquire(window, 60, TimeUnit.SECONDS)) {
                                failure.compareAndSet(null, new IllegalStateException("publishes not completed after 60 s"));
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                        ends[index] = System.nanoTime();
                    });
                }
                long cpu0 = Gauges.processCpuNanos();
                long alloc0 = Gauges.allocatedBytes();
                long t0 = System.nanoTime();
                start.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                long sentEnd = Arrays.stream(ends).max().orElseThrow();
                awaitSubscriber(tally);
                long receivedEnd = tally.lastNanos();
                long cpu = Gauges.processCpuNanos() - cpu0;
                long alloc = Gauges.allocatedBytes() - alloc0;
                double peakHeap = trackHeap ? Gauges.peakHeapBytes() / (1024.0 * 1024.0) : 0;
                long total = (long) publishers * perPublisher;
                Tally.Verdict verdict = tally.verdict();
                if (failure.get() != null) {
                    System.out.println("  " + library.name() + " publish failed: " + failure.get());
                }
                return new Throughput(total * 1e9 / (sentEnd - t0),
                        verdict.received() * 1e9 / Math.max(1, receivedEnd - t0),
                        cpu / 1e3 / total, (double) alloc / total, peakHeap, verdict,
                        failure.get() == null && verdict.ok(qos) && (qos == 0 || verdict.received() >= total));
            } finally {
                closeAll(connections);
            }
        }
    }

    /** Waits until the subscriber has every message, or has had none for {@code stall} seconds. */
    private void awaitSubscriber(Tally tally) throws InterruptedException {
        long stallNanos = TimeUnit.SECONDS.toNanos(options.integer("stall", 5));
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (!tally.complete()) {
            Thread.sleep(1);
            long count = tally.received();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallNanos) {
                break;
            }
        }
    }
}
