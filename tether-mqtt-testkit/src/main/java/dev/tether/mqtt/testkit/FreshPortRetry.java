package dev.tether.mqtt.testkit;

import java.util.function.IntFunction;

/**
 * Starts a broker on a freshly picked port, and again on another one when that fails: the usual
 * cause is another process taking the port between {@link FreePort#pick()} and the broker's bind.
 */
final class FreshPortRetry {

    private FreshPortRetry() {
    }

    static <T> T start(int attempts, IntFunction<T> startOnPort) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return startOnPort.apply(FreePort.pick());
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
