package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
            byte[] pattern = Tally.pattern(size);
            Library.Completion ignore = Library.Completion.printingFailures("publish");
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
}
