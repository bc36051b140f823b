package dev.tether.mqtt;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.IntToLongFunction;

/**
 * Every {@link Backoff} made by its factories: a schedule of longest waits, one per attempt, and a
 * jitter that draws each wait at random below its longest. Keeping the two apart lets
 * {@link #withJitter(double)} replace the jitter rather than add a second one.
 *
 * <pre>{@code
 * Backoff backoff = new JitteredBackoff(attempt -> 1_000_000_000L, 0.5); // between 0.5 and 1 s
 * }</pre>
 */
final class JitteredBackoff implements Backoff {

    static final double DEFAULT_JITTER = 0.2;
    private static final long MILLISECOND = 1_000_000L;
    private static final long DEFAULT_INITIAL = 100 * MILLISECOND;
    /** The longest wait of the quick phase, and where the growth after it starts from. */
    private static final long DEFAULT_QUICK_MAXIMUM = 400 * MILLISECOND;
    private static final int DEFAULT_QUICK_ATTEMPTS = 14;
    private static final double DEFAULT_MULTIPLIER = 1.6;
    private static final long DEFAULT_MAXIMUM = 30_000 * MILLISECOND;

    private final IntToLongFunction ceilings;
    private final double jitter;
    /** Uniform in [0, 1); null for {@link ThreadLocalRandom} of the calling thread. */
    private final DoubleSupplier random;

    JitteredBackoff(IntToLongFunction ceilings, double jitter) {
        this(ceilings, jitter, null);
    }

    /** With {@code random} in place of {@link ThreadLocalRandom}: for tests that need known draws. */
    JitteredBackoff(IntToLongFunction ceilings, double jitter, DoubleSupplier random) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        this.ceilings = ceilings;
        this.jitter = jitter;
        this.random = random;
    }

    @Override
    public Duration delay(int attempt) {
        long ceiling = Math.max(0, ceilings.applyAsLong(Math.max(1, attempt)));
        long span = (long) (ceiling * jitter);
        if (span == 0) {
            return Duration.ofNanos(ceiling);
        }
        double draw = random == null ? ThreadLocalRandom.current().nextDouble() : random.getAsDouble();
        return Duration.ofNanos(ceiling - (long) (span * draw));
    }

    @Override
    public Backoff withJitter(double fraction) {
        return new JitteredBackoff(ceilings, fraction, random);
    }

    /** {@return this schedule and jitter, drawing from {@code source} (uniform in [0, 1))} */
    JitteredBackoff drawingFrom(DoubleSupplier source) {
        return new JitteredBackoff(ceilings, jitter, source);
    }

    /** The default's longest waits: 100, 200, 400 ms, then 400 ms up to attempt 14, then 1.6 times more each attempt up to 30 s. */
    static long defaultCeiling(int attempt) {
        if (attempt <= DEFAULT_QUICK_ATTEMPTS) {
            return doubling(DEFAULT_INITIAL, DEFAULT_QUICK_MAXIMUM, attempt);
        }
        double grown = DEFAULT_QUICK_MAXIMUM * Math.pow(DEFAULT_MULTIPLIER, attempt - DEFAULT_QUICK_ATTEMPTS);
        return grown >= DEFAULT_MAXIMUM ? DEFAULT_MAXIMUM : (long) grown;
    }

    /** {@code initial}, doubled for each attempt after the first, at most {@code maximum}. */
    static long doubling(long initial, long maximum, int attempt) {
        long ceiling = initial;
        for (int i = 1; i < attempt && ceiling > 0 && ceiling < maximum; i++) {
            ceiling = ceiling > maximum / 2 ? maximum : ceiling * 2;
        }
        return Math.min(maximum, ceiling);
    }

    /** The nanoseconds of {@code delay}, at most {@link Long#MAX_VALUE} (about 292 years). */
    static long nanos(Duration delay) {
        return delay.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : delay.toNanos();
    }
}
