package dev.tether.mqtt;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a client waits before each attempt to reconnect after its connection was lost.
 *
 * <pre>{@code
 * MqttClient client = MqttClient.newBuilder()
 *         .reconnect(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30)))
 *         .connect();
 * }</pre>
 *
 * <p>A strategy of one's own is a lambda: {@code attempt -> Duration.ofSeconds(attempt)}.
 */
@FunctionalInterface
public interface Backoff {

    /**
     * The wait before an attempt.
     *
     * @param attempt 1 for the first attempt after the connection was lost, then 2, 3...
     * @return how long to wait first; zero for no wait
     */
    Duration delay(int attempt);

    /**
     * The default: 100 ms before the first attempt, doubling each time up to 30 s, with jitter.
     *
     * @return {@code exponential(Duration.ofMillis(100), Duration.ofSeconds(30))}
     */
    static Backoff defaults() {
        return exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /**
     * Doubles the wait after each failed attempt, from {@code initial} up to {@code maximum}, each
     * wait drawn at random from its upper half, so that many clients cut off at once by a broker
     * restart do not all come back in the same instant.
     *
     * @param initial the wait before the first attempt, not negative
     * @param maximum the longest wait, at least {@code initial}
     * @return the strategy
     * @throws IllegalArgumentException if {@code initial} is negative or greater than {@code maximum}
     */
    static Backoff exponential(Duration initial, Duration maximum) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(maximum, "maximum");
        if (initial.isNegative() || maximum.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= maximum, was initial " + initial
                    + " and maximum " + maximum);
        }
        long initialNanos = initial.toNanos();
        long maximumNanos = maximum.toNanos();
        return attempt -> {
            long ceiling = initialNanos;
            for (int i = 1; i < attempt && ceiling < maximumNanos; i++) {
                ceiling = Math.min(maximumNanos, ceiling * 2);
            }
            ceiling = Math.min(maximumNanos, ceiling);
            long half = ceiling / 2;
            return Duration.ofNanos(half + (ceiling - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling - half + 1)));
        };
    }

    /**
     * The same wait before every attempt.
     *
     * @param delay the wait, not negative
     * @return the strategy
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    static Backoff fixed(Duration delay) {
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("backoff delay must not be negative, was " + delay);
        }
        return attempt -> delay;
    }
}
