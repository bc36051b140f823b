package dev.tether.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * What every scenario of an end-to-end run starts from: the run's options, its libraries in their
 * order and the report it adds its section to; and the steps the scenarios share.
 */
abstract class Scenario {

    final Options options;
    final List<Library> libraries;
    final Report report;

    Scenario(Options options, List<Library> libraries, Report report) {
        this.options = options;
        this.libraries = libraries;
        this.report = report;
    }

    /** The libraries in the order of measured run {@code repeat}: rotated by one each time. */
    List<Library> rotated(int repeat) {
        List<Library> order = new ArrayList<>(libraries);
        Collections.rotate(order, -repeat);
        return order;
    }

    /** Closes the connections, 16 at a time; closing is not measured. */
    static void closeAll(List<Library.Connection> connections) {
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

    /** The {@code p} percentile of {@code sorted} (nanoseconds), in microseconds. */
    static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e3;
    }
}
