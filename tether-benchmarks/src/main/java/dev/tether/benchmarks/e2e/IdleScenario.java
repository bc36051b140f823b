package dev.tether.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The idle scenario: many clients connected one after the other and left idle, with what each
 * connect took and what each client costs in heap, direct memory and platform threads.
 */
final class IdleScenario extends Scenario {

    record Idle(int clients, double connectMillisP50, double connectMillisMean, double heapKiBPerClient,
            double directKiBPerClient, double threadsPerClient, boolean ok) { }

    IdleScenario(Options options, List<Library> libraries, Report report) {
        super(options, libraries, report);
    }

    void run() throws Exception {
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
                int clients = options.integer("idle." + Options.key(library), options.integer("idle.clients", fallback));
                Idle result = runOnce(library, clients);
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
        report.idle(order, results);
    }

    private Idle runOnce(Library library, int clients) throws Exception {
        try (Broker broker = Broker.start()) {
            List<Library.Connection> connections = new ArrayList<>(clients);
            boolean ok = true;
            try {
                if (options.bool("warmup", true)) {
                    // As the other scenarios' warm-up runs: the connect path compiled before it is
                    // timed, a tenth of the count connected and closed again, unmeasured.
                    List<Library.Connection> warm = new ArrayList<>();
                    for (int i = 0; i < Math.max(1, clients / 10); i++) {
                        warm.add(library.connect(broker.host(), broker.port(), "idle-warm-" + i, 10));
                    }
                    closeAll(warm);
                }
                Gauges.settle();
                long heap0 = Gauges.heapUsed();
                long direct0 = Gauges.directUsed();
                int threads0 = Gauges.threadCount();
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
                Gauges.settle();
                double heap = (Gauges.heapUsed() - heap0) / 1024.0 / Math.max(1, connected);
                double direct = (Gauges.directUsed() - direct0) / 1024.0 / Math.max(1, connected);
                double threads = (double) (Gauges.threadCount() - threads0) / Math.max(1, connected);
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
}
