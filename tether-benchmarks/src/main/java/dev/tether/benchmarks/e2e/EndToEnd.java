package dev.tether.benchmarks.e2e;

import dev.tether.mqtt.ProtocolVersion;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end benchmark: the same scenarios through a fresh Mosquitto with each library, in
 * the same JVM and the same run, libraries interleaved (the order rotates each repeat), every
 * message verified; one table of medians at the end.
 *
 * <pre>
 * java -jar tether-benchmarks/target/e2e.jar [key=value ...]
 *   scenarios=qos0,qos1,qos2,pingpong,fanin,large,idle   which, in this order
 *   libraries=tether5,tether3,pahov3,pahov5,hivemq,raw
 *   repeats=3            measured runs per library and scenario (the median is shown)
 *   warmup=true          one unmeasured run per library and scenario first (a fifth of the count;
 *                        idle: a tenth of the clients connected and closed)
 *   window=100           QoS 1/2 publishes outstanding per publisher, for every library
 *   size=256             payload bytes (qos0, qos1, qos2, fanin, pingpong)
 *   qos0.messages=50000 qos1.messages=20000 qos2.messages=10000
 *   fanin.publishers=50 fanin.messages=50000 (in all) fanin.qos=0
 *   pingpong.samples=5000 pingpong.warmup=1000
 *   large.size=1048576 large.messages=50 large.qos=1 large.window=16
 *   idle.clients=10000 idle.pahov3=100 idle.pahov5=100 (Paho: 4 platform threads and ~300 ms per connect)
 *   stall=5              seconds without a message before the subscriber is declared done
 * </pre>
 */
public final class EndToEnd {

    private final Map<String, String> config;
    private final List<Library> libraries;
    private final StringBuilder table = new StringBuilder();

    EndToEnd(Map<String, String> config) {
        this.config = config;
        List<Library> chosen = new ArrayList<>();
        for (String key : string("libraries", "tether5,tether3,pahov3,pahov5,hivemq,raw").split(",")) {
            chosen.add(switch (key.trim()) {
                case "tether5" -> new TetherLibrary(ProtocolVersion.V5);
                case "tether3" -> new TetherLibrary(ProtocolVersion.V3_1_1);
                case "pahov3" -> new PahoV3Library();
                case "pahov5" -> new PahoV5Library();
                case "hivemq" -> new HiveMqLibrary();
                case "raw" -> new RawLibrary();
                default -> throw new IllegalArgumentException("unknown library " + key);
            });
        }
        libraries = List.copyOf(chosen);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("arguments are key=value, not " + arg);
            }
            config.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        // Tether logs each connection at INFO: 10,000 lines in the idle scenario.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        EndToEnd run = new EndToEnd(config);
        String report = run.runAll();
        System.out.println();
        System.out.println(report);
        // Library threads (Paho's timers, Netty's event loops) must not keep the JVM alive.
        System.exit(report.contains("FAIL") ? 1 : 0);
    }

    /** Runs the chosen scenarios and returns the table (Markdown). */
    String runAll() throws Exception {
        System.out.printf("JVM %s %s, %d CPUs, max heap %d MiB, flags %s%n", System.getProperty("java.vm.name"),
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        for (String scenario : string("scenarios", "qos0,qos1,qos2,pingpong,fanin,large,idle").split(",")) {
            switch (scenario.trim()) {
                case "qos0" -> throughput("QoS 0, 1 → 1", 1, integer("qos0.messages", 50_000), integer("size", 256), 0,
                        integer("window", 100), false);
                case "qos1" -> throughput("QoS 1, 1 → 1", 1, integer("qos1.messages", 20_000), integer("size", 256), 1,
                        integer("window", 100), false);
                case "qos2" -> throughput("QoS 2, 1 → 1", 1, integer("qos2.messages", 10_000), integer("size", 256), 2,
                        integer("window", 100), false);
                case "fanin" -> {
                    int publishers = integer("fanin.publishers", 50);
                    throughput("fan-in QoS " + integer("fanin.qos", 0) + ", " + publishers + " → 1", publishers,
                            integer("fanin.messages", 50_000) / publishers, integer("size", 256), integer("fanin.qos", 0),
                            integer("window", 100), false);
                }
                case "large" -> throughput("1 MiB QoS " + integer("large.qos", 1) + ", 1 → 1", 1,
                        integer("large.messages", 50), integer("large.size", 1 << 20), integer("large.qos", 1),
                        integer("large.window", 16), true);
                case "pingpong" -> pingPong();
                case "idle" -> idle();
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
        return table.toString();
    }

    // --- throughput -------------------------------------------------------------------------

    record Throughput(double sentPerSecond, double receivedPerSecond, double cpuMicrosPerMessage,
            double bytesPerMessage, double peakHeapMiB, Tally.Verdict verdict, boolean ok) { }

    private void throughput(String title, int publishers, int perPublisher, int size, int qos, int window,
            boolean trackHeap) throws Exception {
        System.out.printf("%n== %s: %,d messages of %,d B, window %d%n", title, publishers * perPublisher, size, window);
        Map<Library, List<Throughput>> results = new LinkedHashMap<>();
        if (bool("warmup", true)) {
            for (Library library : libraries) {
                Throughput warm = throughputRun(library, publishers, Math.max(1, perPublisher / 5), size, qos, window, false);
                System.out.printf("  warm-up %-12s %,10.0f msg/s received  %s%n", library.name(), warm.receivedPerSecond,
                        warm.verdict.describe());
            }
        }
        int repeats = integer("repeats", 3);
        for (int r = 0; r < repeats; r++) {
            for (Library library : rotated(r)) {
                Throughput result = throughputRun(library, publishers, perPublisher, size, qos, window, trackHeap);
                results.computeIfAbsent(library, l -> new ArrayList<>()).add(result);
                System.out.printf("  run %d %-12s %,10.0f msg/s sent %,10.0f msg/s received %6.1f µs CPU/msg %,9.0f B/msg%s  %s%n",
                        r + 1, library.name(), result.sentPerSecond, result.receivedPerSecond, result.cpuMicrosPerMessage,
                        result.bytesPerMessage, trackHeap ? String.format(" peak heap %,.0f MiB", result.peakHeapMiB) : "",
                        result.verdict.describe());
            }
        }
        // The table
        Map<Library, Double> received = medians(results, Throughput::receivedPerSecond);
        double raw = rawValue(received);
        double bestPeer = bestPeer(received, true);
        table.append(String.format("%n### %s (%,d messages of %,d B, window %d, median of %d)%n%n", title,
                publishers * perPublisher, size, window, repeats));
        table.append("| library | sent msg/s | received msg/s | × raw | × best peer | CPU µs/msg | alloc B/msg | CPU × raw | alloc × raw |"
                + (trackHeap ? " MiB/s | peak heap MiB |" : "") + " check |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (trackHeap ? " ---: | ---: |" : "")
                + " --- |\n");
        Map<Library, Double> cpu = medians(results, Throughput::cpuMicrosPerMessage);
        Map<Library, Double> alloc = medians(results, Throughput::bytesPerMessage);
        Map<Library, Double> heap = medians(results, Throughput::peakHeapMiB);
        for (Library library : results.keySet()) {
            List<Throughput> runs = results.get(library);
            boolean ok = runs.stream().allMatch(run -> run.ok);
            String check = ok ? "ok" : "FAIL: " + runs.stream().filter(run -> !run.ok).findFirst().orElseThrow().verdict.describe();
            table.append(String.format("| %s | %,.0f | %,.0f | %s | %s | %.1f | %,.0f | %s | %s |%s %s |%n", library.name(),
                    median(runs, Throughput::sentPerSecond), received.get(library), ratio(received.get(library), raw),
                    ratio(received.get(library), bestPeer), cpu.get(library), alloc.get(library),
                    ratio(cpu.get(library), rawValue(cpu)), ratio(alloc.get(library), rawValue(alloc)),
                    trackHeap ? String.format(" %,.0f | %,.0f |", received.get(library) * size / (1 << 20), heap.get(library)) : "",
                    check));
        }
    }

    private Throughput throughputRun(Library library, int publishers, int perPublisher, int size, int qos, int window,
            boolean trackHeap) throws Exception {
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
                    publisherConnections[p] = library.connect(broker.host(), broker.port(), "pub-" + p, window);
                    connections.add(publisherConnections[p]);
                }
                byte[] pattern = Tally.pattern(size);
                if (trackHeap) {
                    System.gc();
                    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
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
                long cpu0 = processCpuNanos();
                long alloc0 = allocatedBytes();
                long t0 = System.nanoTime();
                start.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                long sentEnd = Arrays.stream(ends).max().orElseThrow();
                long stallNanos = TimeUnit.SECONDS.toNanos(integer("stall", 5));
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
                long receivedEnd = tally.lastNanos();
                long cpu = processCpuNanos() - cpu0;
                long alloc = allocatedBytes() - alloc0;
                double peakHeap = trackHeap ? peakHeapBytes() / (1024.0 * 1024.0) : 0;
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

    // --- ping-pong --------------------------------------------------------------------------

    record Latency(double p50, double p99, double p999, boolean ok) { }

    private void pingPong() throws Exception {
        int samples = integer("pingpong.samples", 5_000);
        int warm = integer("pingpong.warmup", 1_000);
        int size = integer("size", 256);
        System.out.printf("%n== ping-pong QoS 0: %,d round trips of %,d B after %,d unmeasured%n", samples, size, warm);
        Map<Library, List<Latency>> results = new LinkedHashMap<>();
        int repeats = integer("repeats", 3);
        for (int r = 0; r < repeats; r++) {
            for (Library library : rotated(r)) {
                Latency result = pingPongRun(library, samples, warm, size);
                results.computeIfAbsent(library, l -> new ArrayList<>()).add(result);
                System.out.printf("  run %d %-12s p50 %7.1f µs  p99 %7.1f µs  p99.9 %7.1f µs%s%n", r + 1, library.name(),
                        result.p50, result.p99, result.p999, result.ok ? "" : "  FAIL");
            }
        }
        Map<Library, Double> p50 = medians(results, Latency::p50);
        Map<Library, Double> p99 = medians(results, Latency::p99);
        Map<Library, Double> p999 = medians(results, Latency::p999);
        table.append(String.format("%n### ping-pong, QoS 0 (%,d round trips of %,d B: publish, then wait for that message "
                + "to come back on the same client's subscription; median of %d runs)%n%n", samples, size, repeats));
        table.append("| library | p50 µs | p99 µs | p99.9 µs | p50 × raw | p99 × raw | p99.9 × raw | p50 × best peer | check |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        double bestPeer = bestPeer(p50, false);
        for (Library library : results.keySet()) {
            boolean ok = results.get(library).stream().allMatch(Latency::ok);
            table.append(String.format("| %s | %.1f | %.1f | %.1f | %s | %s | %s | %s | %s |%n", library.name(), p50.get(library),
                    p99.get(library), p999.get(library), ratio(p50.get(library), rawValue(p50)),
                    ratio(p99.get(library), rawValue(p99)), ratio(p999.get(library), rawValue(p999)),
                    ratio(p50.get(library), bestPeer), ok ? "ok" : "FAIL"));
        }
    }

    private Latency pingPongRun(Library library, int samples, int warm, int size) throws Exception {
        try (Broker broker = Broker.start();
                Library.Connection connection = library.connect(broker.host(), broker.port(), "pingpong", 1)) {
            Library.Pull pull = connection.subscribeForPull("rtt/0", 0);
            byte[] pattern = Tally.pattern(size);
            Library.Completion ignore = new Library.Completion() {
                @Override
                public void done() {
                }

                @Override
                public void failed(Throwable cause) {
                    System.out.println("  publish failed: " + cause);
                }
            };
            long[] nanos = new long[samples];
            boolean ok = true;
            for (int i = 0; i < warm + samples; i++) {
                byte[] payload = Tally.payload(pattern, 0, i);
                long t0 = System.nanoTime();
                connection.publish("rtt/0", payload, 0, ignore);
                ByteBuffer echo = pull.take(TimeUnit.SECONDS.toNanos(5));
                long t1 = System.nanoTime();
                if (echo == null || !echo.equals(ByteBuffer.wrap(payload))) {
                    ok = false;
                    System.out.println("  " + library.name() + ": round trip " + i + (echo == null ? " timed out" : " came back different"));
                    break;
                }
                if (i >= warm) {
                    nanos[i - warm] = t1 - t0;
                }
            }
            Arrays.sort(nanos);
            return new Latency(percentile(nanos, 0.50), percentile(nanos, 0.99), percentile(nanos, 0.999), ok);
        }
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e3;
    }

    // --- idle connections -------------------------------------------------------------------

    record Idle(int clients, double connectMillisP50, double connectMillisMean, double heapKiBPerClient,
            double directKiBPerClient, double threadsPerClient, boolean ok) { }

    private void idle() throws Exception {
        System.out.printf("%n== idle connections%n");
        // Twice, the second pass in reverse order, and the two passes averaged: connect times
        // fall by up to a third from the first library run to the last as the JVM's own socket
        // code warms up, so a single pass favoured whichever library came last.
        List<Library> order = List.copyOf(libraries);
        Map<Library, List<Idle>> passes = new LinkedHashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            List<Library> inPass = new ArrayList<>(order);
            if (pass == 1) {
                Collections.reverse(inPass);
            }
            for (Library library : inPass) {
                int fallback = library instanceof PahoV3Library || library instanceof PahoV5Library ? 100 : 10_000;
                int clients = integer("idle." + key(library), integer("idle.clients", fallback));
                Idle result = idleRun(library, clients);
                passes.computeIfAbsent(library, l -> new ArrayList<>()).add(result);
                System.out.printf("  pass %d %-12s %,6d clients: connect p50 %.2f ms, mean %.2f ms; heap %.1f KiB, direct %.1f KiB,"
                        + " %.2f threads per client%s%n", pass + 1, library.name(), result.clients, result.connectMillisP50,
                        result.connectMillisMean, result.heapKiBPerClient, result.directKiBPerClient, result.threadsPerClient,
                        result.ok ? "" : "  FAIL");
            }
        }
        List<Idle> results = new ArrayList<>();
        for (Library library : order) {
            results.add(average(passes.get(library)));
        }
        Idle raw = null;
        Idle hive = null;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).isRaw()) {
                raw = results.get(i);
            }
            if (order.get(i) instanceof HiveMqLibrary) {
                hive = results.get(i);
            }
        }
        table.append(String.format("%n### idle connections (connected one after the other; heap after GC; mean of two passes,"
                + " the second in reverse order)%n%n"));
        table.append("| library | clients | connect p50 ms | connect mean ms | connect p50 × raw | heap KiB/client | heap × HiveMQ |"
                + " direct KiB/client | platform threads/client | check |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (int i = 0; i < order.size(); i++) {
            Idle result = results.get(i);
            table.append(String.format("| %s | %,d | %.2f | %.2f | %s | %.1f | %s | %.1f | %.2f | %s |%n", order.get(i).name(),
                    result.clients, result.connectMillisP50, result.connectMillisMean,
                    raw == null ? "–" : ratio(result.connectMillisP50, raw.connectMillisP50), result.heapKiBPerClient,
                    hive == null ? "–" : ratio(result.heapKiBPerClient, hive.heapKiBPerClient), result.directKiBPerClient,
                    result.threadsPerClient, result.ok ? "ok" : "FAIL"));
        }
    }

    private Idle idleRun(Library library, int clients) throws Exception {
        try (Broker broker = Broker.start()) {
            List<Library.Connection> connections = new ArrayList<>(clients);
            boolean ok = true;
            try {
                if (bool("warmup", true)) {
                    // As the other scenarios' warm-up runs: the connect path compiled before it is
                    // timed, a tenth of the count connected and closed again, unmeasured.
                    List<Library.Connection> warm = new ArrayList<>();
                    for (int i = 0; i < Math.max(1, clients / 10); i++) {
                        warm.add(library.connect(broker.host(), broker.port(), "idle-warm-" + i, 10));
                    }
                    closeAll(warm);
                }
                settle();
                long heap0 = heapUsed();
                long direct0 = directUsed();
                int threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
                long[] nanos = new long[clients];
                for (int i = 0; i < clients; i++) {
                    long t0 = System.nanoTime();
                    try {
                        connections.add(library.connect(broker.host(), broker.port(), "idle-" + i, 10));
                    } catch (Exception e) {
                        System.out.println("  " + library.name() + ": connection " + i + " failed: " + e);
                        ok = false;
                        nanos = Arrays.copyOf(nanos, i);
                        break;
                    }
                    nanos[i] = System.nanoTime() - t0;
                }
                int connected = connections.size();
                Thread.sleep(1_000);
                settle();
                double heap = (heapUsed() - heap0) / 1024.0 / Math.max(1, connected);
                double direct = (directUsed() - direct0) / 1024.0 / Math.max(1, connected);
                double threads = (double) (ManagementFactory.getThreadMXBean().getThreadCount() - threads0) / Math.max(1, connected);
                long[] sorted = nanos.clone();
                Arrays.sort(sorted);
                double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
                return new Idle(connected, percentile(sorted, 0.5) / 1e3, mean, heap, direct, threads, ok);
            } finally {
                closeAll(connections);
            }
        }
    }

    private static Idle average(List<Idle> runs) {
        double n = runs.size();
        return new Idle(runs.getFirst().clients(),
                runs.stream().mapToDouble(Idle::connectMillisP50).sum() / n,
                runs.stream().mapToDouble(Idle::connectMillisMean).sum() / n,
                runs.stream().mapToDouble(Idle::heapKiBPerClient).sum() / n,
                runs.stream().mapToDouble(Idle::directKiBPerClient).sum() / n,
                runs.stream().mapToDouble(Idle::threadsPerClient).sum() / n,
                runs.stream().allMatch(Idle::ok));
    }

    // --- helpers ----------------------------------------------------------------------------

    private static void closeAll(List<Library.Connection> connections) {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore parallel = new Semaphore(16);
            for (Library.Connection connection : connections) {
                executor.submit(() -> {
                    parallel.acquire();
                    try {
                        connection.close();
                    } catch (Exception e) {
                        // closing is not measured
                    } finally {
                        parallel.release();
                    }
                    return null;
                });
            }
        }
    }

    private List<Library> rotated(int repeat) {
        List<Library> order = new ArrayList<>(libraries);
        java.util.Collections.rotate(order, -repeat);
        return order;
    }

    private static String key(Library library) {
        return library.getClass().getSimpleName().replace("Library", "").toLowerCase(Locale.ROOT)
                + (library instanceof TetherLibrary t ? (t.name().endsWith("5") ? "5" : "3") : "");
    }

    private static <R> Map<Library, Double> medians(Map<Library, List<R>> results, ToDoubleFunction<R> metric) {
        Map<Library, Double> medians = new LinkedHashMap<>();
        results.forEach((library, runs) -> medians.put(library, median(runs, metric)));
        return medians;
    }

    private static <R> double median(List<R> runs, ToDoubleFunction<R> metric) {
        double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double rawValue(Map<Library, Double> values) {
        return values.entrySet().stream().filter(e -> e.getKey().isRaw()).mapToDouble(Map.Entry::getValue).findFirst()
                .orElse(Double.NaN);
    }

    /** The best of Paho and HiveMQ: the highest when higher is better, the lowest otherwise. */
    private static double bestPeer(Map<Library, Double> values, boolean higherIsBetter) {
        return values.entrySet().stream()
                .filter(e -> !e.getKey().isRaw() && !(e.getKey() instanceof TetherLibrary))
                .mapToDouble(Map.Entry::getValue)
                .reduce(higherIsBetter ? Math::max : Math::min)
                .orElse(Double.NaN);
    }

    private static String ratio(double value, double reference) {
        return Double.isNaN(reference) || reference == 0 ? "–" : String.format("%.2f", value / reference);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    private String string(String key, String fallback) {
        return config.getOrDefault(key, System.getProperty("e2e." + key, fallback));
    }

    private int integer(String key, int fallback) {
        return Integer.parseInt(string(key, Integer.toString(fallback)).replace("_", ""));
    }

    private boolean bool(String key, boolean fallback) {
        return Boolean.parseBoolean(string(key, Boolean.toString(fallback)));
    }
}
