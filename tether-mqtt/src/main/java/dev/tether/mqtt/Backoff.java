package dev.tether.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a client waits before each attempt to reconnect after its connection was lost.
 *
 * <pre>{@code
 * MqttClient client = MqttClient.newBuilder()
 *         .reconnect(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30)).withJitter(0.2))
 *         .connect();
 * }</pre>
 *
 * <p>Without a {@code reconnect} option a client uses {@link #defaults()}: attempts at most 0.4 s
 * apart for the first seconds, so that a broker back after a restart of a few seconds has its
 * clients again within half a second, then longer and longer waits, up to 30 s, so that a broker
 * down for long is not hammered.
 *
 * <p>A strategy of one's own is a lambda: {@code attempt -> Duration.ofSeconds(attempt)}; add
 * {@link #withJitter(double)} to spread the clients of one broker.
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
     * This strategy with jitter: each wait is drawn at random, uniformly, between
     * {@code (1 - fraction)} times this strategy's wait and that wait itself. Jitter only
     * shortens a wait, so the waits this strategy gives stay the longest ones. Clients cut off
     * together, by a broker's restart or a network failure, draw different waits, and come back
     * spread over time instead of all in the same instant.
     *
     * <p>0 is no jitter; 1 is "full jitter" (anything from no wait up to the wait); 0.5 is "equal
     * jitter" (the upper half). On the strategies made here ({@link #defaults()},
     * {@link #exponential(Duration, Duration)}, {@link #fixed(Duration)}, and the result of this
     * method) the fraction replaces the jitter the strategy had, so
     * {@code Backoff.exponential(initial, maximum).withJitter(0)} waits exactly {@code initial},
     * twice that, and so on; on a strategy of one's own it applies to the waits the strategy returns.
     *
     * <pre>{@code
     * Backoff.fixed(Duration.ofSeconds(1)).withJitter(0.5); // each wait between 0.5 and 1 s
     * }</pre>
     *
     * @param fraction how much of each wait may be left out, from 0 to 1
     * @return the strategy with jitter
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
     */
    default Backoff withJitter(double fraction) {
        return new JitteredBackoff(attempt -> JitteredBackoff.nanos(delay(attempt)), fraction);
    }

    /**
     * The default: quick attempts while a broker may just be restarting, then exponential growth
     * up to 30 s, each wait with a jitter of 0.2. The longest waits, before jitter, are:
     *
     * <table>
     * <caption>The default schedule</caption>
     * <tr><th>attempt</th><th>longest wait</th><th>longest time from the loss to the attempt</th></tr>
     * <tr><td>1, 2, 3</td><td>100 ms, 200 ms, 400 ms</td><td>0.7 s</td></tr>
     * <tr><td>4 to 14</td><td>400 ms each</td><td>5.1 s</td></tr>
     * <tr><td>15 to 18</td><td>0.64 s, 1.02 s, 1.64 s, 2.62 s (times 1.6 each)</td><td>11.0 s</td></tr>
     * <tr><td>19 to 23</td><td>4.19 s, 6.71 s, 10.7 s, 17.2 s, 27.5 s</td><td>77.3 s</td></tr>
     * <tr><td>24 and later</td><td>30 s each</td><td>one more attempt every 24 to 30 s</td></tr>
     * </table>
     *
     * <p>Each wait is drawn at random between 0.8 times the wait above and the wait itself (see
     * {@link #withJitter(double)}), so the clients of a restarted broker do not all come back at
     * once. The quick phase lasts at least 4 s (the shortest draws add up to 4.08 s, and each
     * attempt takes time of its own) with waits of at most 0.4 s: a client whose broker was away
     * for up to 4 seconds tries again within 0.4 s of its return, and is connected within half a
     * second unless the handshake itself is slow. A broker that stays away gets one attempt every 24
     * to 30 s from each client after a minute or two, as with gRPC's connection backoff (times 1.6
     * up to 120 s, jitter 0.2), which this follows once past the quick phase.
     *
     * <pre>{@code
     * MqttClient client = MqttClient.newBuilder().reconnect(Backoff.defaults()).connect();
     * }</pre>
     *
     * @return the default strategy
     */
    static Backoff defaults() {
        return new JitteredBackoff(JitteredBackoff::defaultCeiling, JitteredBackoff.DEFAULT_JITTER);
    }

    /**
     * Doubles the wait after each failed attempt, from {@code initial} up to {@code maximum}, each
     * wait drawn at random from its upper half (a jitter of 0.5, see {@link #withJitter(double)}),
     * so that many clients cut off at once by a broker restart do not all come back in the same
     * instant.
     *
     * <pre>{@code
     * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
     * }</pre>
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
        return new JitteredBackoff(attempt -> JitteredBackoff.doubling(initialNanos, maximumNanos, attempt), 0.5);
    }

    /**
     * The same wait before every attempt, without jitter unless {@link #withJitter(double)} adds it.
     *
     * <pre>{@code
     * Backoff backoff = Backoff.fixed(Duration.ofSeconds(1));
     * }</pre>
     *
     * @param delay the wait, not negative
     * @return the strategy
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    static Backoff fixed(Duration delay) {
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("backoff delay must not be negative, was " + delay);
        }
        long nanos = JitteredBackoff.nanos(delay);
        return new JitteredBackoff(attempt -> nanos, 0);
    }
}
