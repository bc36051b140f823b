package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Round trips one after another at QoS 0: publish a payload, wait for it to come back, check it.
 * The first {@code warm} are not measured; the process's CPU time is counted over the measured
 * ones. Shared by the ping-pong and echo scenarios.
 *
 * @param sortedNanos each measured round trip, sorted
 * @param cpuMicrosPerRoundTrip process CPU time per measured round trip
 * @param ok whether every reply came back in time and unchanged
 */
record RoundTrips(long[] sortedNanos, double cpuMicrosPerRoundTrip, boolean ok) {

    static RoundTrips measure(Library library, Library.Connection sender, String topic, Library.Pull replies,
                              int samples, int warm, int size) throws Exception {
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
            sender.publish(topic, payload, 0, ignore);
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
        return new RoundTrips(nanos, cpu, ok);
    }

    /** {@return the {@code p} percentile, in microseconds} */
    double percentile(double p) {
        return Scenario.percentile(sortedNanos, p);
    }
}
