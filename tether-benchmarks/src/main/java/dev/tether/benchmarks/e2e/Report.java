package dev.tether.benchmarks.e2e;

import dev.tether.benchmarks.e2e.EchoScenario.Echo;
import dev.tether.benchmarks.e2e.IdleScenario.Idle;
import dev.tether.benchmarks.e2e.PingPongScenario.Latency;
import dev.tether.benchmarks.e2e.ThroughputScenario.Throughput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The table of a run, in Markdown: a section per scenario, each library's medians, their ratios to
 * the raw socket and to the best peer, and whether every run passed its check.
 */
final class Report {

    private final StringBuilder table = new StringBuilder();

    @Override
    public String toString() {
        return table.toString();
    }

    void throughput(String title, int messages, int size, int window, int repeats, boolean trackHeap,
            Map<Library, List<Throughput>> results) {
        // A library that failed a run (lost messages) is no best peer: its figures are not comparable.
        Map<Library, List<Throughput>> passed = new LinkedHashMap<>(results);
        passed.values().removeIf(runs -> !runs.stream().allMatch(Throughput::ok));
        Map<Library, Double> received = medians(results, Throughput::receivedPerSecond);
        double raw = rawValue(received);
        double bestPeer = bestPeer(medians(passed, Throughput::receivedPerSecond), true);
        double bestPeerCpu = bestPeer(medians(passed, Throughput::cpuMicrosPerMessage), false);
        table.append(String.format("%n### %s (%,d messages of %,d B, window %d, median of %d)%n%n", title,
                messages, size, window, repeats));
        table.append("| library | sent msg/s | received msg/s | × raw | × best peer | CPU µs/msg | alloc B/msg | CPU × raw |"
                + " CPU × best peer | alloc × raw |" + (trackHeap ? " MiB/s | peak heap MiB |" : "") + " check |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (trackHeap ? " ---: | ---: |" : "")
                + " --- |\n");
        Map<Library, Double> cpu = medians(results, Throughput::cpuMicrosPerMessage);
        Map<Library, Double> alloc = medians(results, Throughput::bytesPerMessage);
        Map<Library, Double> heap = medians(results, Throughput::peakHeapMiB);
        for (Library library : results.keySet()) {
            List<Throughput> runs = results.get(library);
            boolean ok = runs.stream().allMatch(Throughput::ok);
            String check = ok ? "ok" : "FAIL: " + runs.stream().filter(run -> !run.ok()).findFirst().orElseThrow().verdict().describe();
            table.append(String.format("| %s | %,.0f | %,.0f | %s | %s | %.1f | %,.0f | %s | %s | %s |%s %s |%n", library.name(),
                    median(runs, Throughput::sentPerSecond), received.get(library), ratio(received.get(library), raw),
                    ratio(received.get(library), bestPeer), cpu.get(library), alloc.get(library),
                    ratio(cpu.get(library), rawValue(cpu)), ratio(cpu.get(library), bestPeerCpu),
                    ratio(alloc.get(library), rawValue(alloc)),
                    trackHeap ? String.format(" %,.0f | %,.0f |", received.get(library) * size / (1 << 20), heap.get(library)) : "",
                    check));
        }
    }

    void pingPong(int samples, int size, int repeats, Map<Library, List<Latency>> results) {
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

    void echo(int samples, int size, int repeats, Map<Library, List<Echo>> results) {
        Map<Library, Double> p50 = medians(results, Echo::p50);
        Map<Library, Double> p99 = medians(results, Echo::p99);
        Map<Library, Double> cpu = medians(results, Echo::cpuMicrosPerRoundTrip);
        table.append(String.format("%n### echo, QoS 0 (%,d round trips of %,d B: publish a request, a responder client of the"
                + " same library publishes it back from its consumer, wait for the reply; median of %d runs)%n%n", samples, size, repeats));
        table.append("| library | p50 µs | p99 µs | p50 × raw | p99 × raw | p50 × best peer | CPU µs/round trip | CPU × raw"
                + " | CPU × best peer | check |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Library library : results.keySet()) {
            boolean ok = results.get(library).stream().allMatch(Echo::ok);
            table.append(String.format("| %s | %.1f | %.1f | %s | %s | %s | %.1f | %s | %s | %s |%n", library.name(), p50.get(library),
                    p99.get(library), ratio(p50.get(library), rawValue(p50)), ratio(p99.get(library), rawValue(p99)),
                    ratio(p50.get(library), bestPeer(p50, false)), cpu.get(library), ratio(cpu.get(library), rawValue(cpu)),
                    ratio(cpu.get(library), bestPeer(cpu, false)), ok ? "ok" : "FAIL"));
        }
    }

    /** {@code results.get(i)} is {@code order.get(i)}'s. */
    void idle(List<Library> order, List<Idle> results) {
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
                    result.clients(), result.connectMillisP50(), result.connectMillisMean(),
                    raw == null ? "–" : ratio(result.connectMillisP50(), raw.connectMillisP50()), result.heapKiBPerClient(),
                    hive == null ? "–" : ratio(result.heapKiBPerClient(), hive.heapKiBPerClient()), result.directKiBPerClient(),
                    result.threadsPerClient(), result.ok() ? "ok" : "FAIL"));
        }
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
}
