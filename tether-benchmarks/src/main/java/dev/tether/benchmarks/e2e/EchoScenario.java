package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The echo scenario, request and reply as applications write them: a requester publishes at QoS
 * 0 and waits for the reply on its own subscription; a responder, another client of the same
 * library, answers each request by publishing its payload back, in the library's idiom
 * ({@link Library.Connection#respond}). Round-trip percentiles and the process's CPU time per
 * round trip (both clients; Mosquitto runs in a process of its own) are kept.
 */
final class EchoScenario extends Scenario {

    record Echo(double p50, double p99, double cpuMicrosPerRoundTrip, boolean ok) { }

    EchoScenario(Options options, List<Library> libraries, Report report) {
        super(options, libraries, report);
    }

    void run() throws Exception {
        int samples = options.integer("echo.samples", 5_000);
        int warm = options.integer("echo.warmup", 1_000);
        int size = options.integer("size", 256);
        System.out.printf("%n== echo QoS 0: %,d round trips of %,d B through a responder after %,d unmeasured%n", samples, size, warm);
        Map<Library, List<Echo>> results = new LinkedHashMap<>();
        int repeats = options.integer("repeats", 3);
        for (int r = 0; r < repeats; r++) {
            for (Library library : rotated(r)) {
                Echo result = runOnce(library, samples, warm, size);
                results.computeIfAbsent(library, l -> new ArrayList<>()).add(result);
                System.out.printf("  run %d %-24s p50 %7.1f µs  p99 %7.1f µs  CPU %6.1f µs/round trip%s%n", r + 1, library.name(),
                        result.p50, result.p99, result.cpuMicrosPerRoundTrip, result.ok ? "" : "  FAIL");
            }
        }
        report.echo(samples, size, repeats, results);
    }

    private Echo runOnce(Library library, int samples, int warm, int size) throws Exception {
        try (Broker broker = Broker.start();
                Library.Connection responder = library.connect(broker.host(), broker.port(), "responder", 1);
                Library.Connection requester = library.connect(broker.host(), broker.port(), "requester", 1)) {
            responder.respond("echo/request", "echo/reply");
            Library.Pull replies = requester.subscribeForPull("echo/reply", 0);
            byte[] pattern = Tally.pattern(size);
            Library.Completion ignore = Library.Completion.printingFailures("publish");
            long[] nanos = new long[samples];
            boolean ok = true;
            long cpu0 = 0;
            for (int i = 0; i < warm + samples; i++) {
                if (i == warm) {
                    cpu0 = Gauges.processCpuNanos();
                }
                byte[] payload = Tally.payload(pattern, 0, i);
                long t0 = System.nanoTime();
                requester.publish("echo/request", payload, 0, ignore);
                ByteBuffer echo = replies.take(TimeUnit.SECONDS.toNanos(5));
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
            double cpu = (Gauges.processCpuNanos() - cpu0) / 1e3 / samples;
            Arrays.sort(nanos);
            return new Echo(percentile(nanos, 0.50), percentile(nanos, 0.99), cpu, ok);
        }
    }
}
