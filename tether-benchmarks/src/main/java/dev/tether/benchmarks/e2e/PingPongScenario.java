package dev.tether.benchmarks.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ping-pong scenario: one client publishes at QoS 0 and waits for the message to come back on
 * its own subscription before the next, and the round trips' percentiles are kept.
 */
final class PingPongScenario extends Scenario {

    record Latency(double p50, double p99, double p999, boolean ok) { }

    PingPongScenario(Options options, List<Library> libraries, Report report) {
        super(options, libraries, report);
    }

    void run() throws Exception {
        int samples = options.integer("pingpong.samples", 5_000);
        int warm = options.integer("pingpong.warmup", 1_000);
        int size = options.integer("size", 256);
        System.out.printf("%n== ping-pong QoS 0: %,d round trips of %,d B after %,d unmeasured%n", samples, size, warm);
        Map<Library, List<Latency>> results = new LinkedHashMap<>();
        int repeats = options.integer("repeats", 3);
        for (int r = 0; r < repeats; r++) {
            for (Library library : rotated(r)) {
                Latency result = runOnce(library, samples, warm, size);
                results.computeIfAbsent(library, l -> new ArrayList<>()).add(result);
                System.out.printf("  run %d %-12s p50 %7.1f µs  p99 %7.1f µs  p99.9 %7.1f µs%s%n", r + 1, library.name(),
                        result.p50, result.p99, result.p999, result.ok ? "" : "  FAIL");
            }
        }
        report.pingPong(samples, size, repeats, results);
    }

    private Latency runOnce(Library library, int samples, int warm, int size) throws Exception {
        try (Broker broker = Broker.start();
                Library.Connection connection = library.connect(broker.host(), broker.port(), "pingpong", 1)) {
            Library.Pull pull = connection.subscribeForPull("rtt/0", 0);
            RoundTrips trips = RoundTrips.measure(library, connection, "rtt/0", pull, samples, warm, size);
            return new Latency(trips.percentile(0.50), trips.percentile(0.99), trips.percentile(0.999), trips.ok());
        }
    }
}
