package dev.tether.mqtt.testkit;

import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Starts a broker on a freshly picked port, and again on another one when that fails: the usual
 * cause is another process taking the port between {@link FreePort#pick()} and the broker's bind.
 */
final class FreshPortRetry {

    private FreshPortRetry() {
    }

    static <T> T start(int attempts, IntFunction<T> startOnPort) {
        return startOnPorts(attempts, 1, ports -> startOnPort.apply(ports[0]));
    }

    /** Like {@link #start}, for a broker that listens on {@code count} different ports. */
    static <T> T startOnPorts(int attempts, int count, Function<int[], T> startOnPorts) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return startOnPorts.apply(FreePort.pick(count));
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }
}
