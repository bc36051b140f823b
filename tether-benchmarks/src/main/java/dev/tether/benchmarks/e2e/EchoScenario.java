package dev.tether.benchmarks.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            RoundTrips trips = RoundTrips.measure(library, requester, "echo/request", replies, samples, warm, size);
            return new Echo(trips.percentile(0.50), trips.percentile(0.99), trips.cpuMicrosPerRoundTrip(), trips.ok());
        }
    }
}
