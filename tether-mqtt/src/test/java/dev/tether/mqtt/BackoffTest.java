package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Duration QUICK_WAIT = Duration.ofMillis(400);
    static final Duration CAP = Duration.ofSeconds(30);
    /** The largest draw: jitter takes off all it may, the shortest waits. */
    static final double SHORTEST = Math.nextDown(1.0);

    /** The default's longest waits, attempt by attempt, as its javadoc tells them. */
    @Test
    void theDefaultScheduleIsTheDocumentedOne() {
        Backoff longest = Backoff.defaults().withJitter(0);
        long[] millis = {100, 200, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 640, 1024, 1638, 2621,
                4194, 6710, 10737, 17179, 27487, 30000, 30000};
        for (int attempt = 1; attempt <= millis.length; attempt++) {
            assertEquals(millis[attempt - 1], longest.delay(attempt).toMillis(), "attempt " + attempt);
        }
        for (int attempt : new int[] {100, 1_000_000, Integer.MAX_VALUE}) {
            assertEquals(CAP, longest.delay(attempt), "attempt " + attempt);
        }
    }

    /**
     * However the draws fall, the attempts of the first four seconds after a loss wait at most
     * 0.4 s each: a broker back after three seconds has its client again within half a second,
     * the handshake included. A client goes through its attempts fastest when every wait is the
     * shortest the jitter allows; counted that way, every attempt that may start within the first
     * four seconds has a longest wait of 0.4 s.
     */
    @Test
    void theDefaultTriesAtLeastEvery400MillisecondsForTheFirstFourSeconds() {
        Backoff shortest = ((JitteredBackoff) Backoff.defaults()).drawingFrom(() -> SHORTEST);
        Backoff longest = Backoff.defaults().withJitter(0);
        Duration elapsed = Duration.ZERO; // the earliest the attempt can start after the loss
        int attempt = 1;
        while (elapsed.compareTo(Duration.ofSeconds(4)) < 0) {
            assertTrue(longest.delay(attempt).compareTo(QUICK_WAIT) <= 0,
                    "attempt " + attempt + " at " + elapsed + " may wait " + longest.delay(attempt));
            elapsed = elapsed.plus(shortest.delay(attempt));
            attempt++;
        }
        assertEquals(15, attempt, "the 14 attempts of the quick phase cover the first four seconds");
        for (int round = 0; round < 1_000; round++) {
            for (int quick = 1; quick <= 14; quick++) {
                assertTrue(Backoff.defaults().delay(quick).compareTo(QUICK_WAIT) <= 0);
            }
        }
    }

    /** A broker that stays away is not hammered: the waits grow to the 30 s cap within 80 s, and stay there. */
    @Test
    void theDefaultGrowsToItsCapForALongOutage() {
        Backoff shortest = ((JitteredBackoff) Backoff.defaults()).drawingFrom(() -> SHORTEST);
        Backoff longest = Backoff.defaults().withJitter(0);
        Duration previous = Duration.ZERO;
        Duration elapsed = Duration.ZERO;
        int attempt = 1;
        for (; longest.delay(attempt).compareTo(CAP) < 0; attempt++) {
            assertTrue(longest.delay(attempt).compareTo(previous) >= 0, "the waits never shrink: attempt " + attempt);
            previous = longest.delay(attempt);
            elapsed = elapsed.plus(longest.delay(attempt));
        }
        assertEquals(24, attempt, "the cap is reached at attempt 24");
        assertTrue(elapsed.compareTo(Duration.ofSeconds(78)) <= 0, "the cap is reached by " + elapsed);
        Duration atLeast = CAP.multipliedBy(8).dividedBy(10);
        for (int late : new int[] {24, 50, 1_000_000}) {
            assertEquals(atLeast.toMillis(), shortest.delay(late).toMillis(), "attempt " + late + " waits at least 24 s");
            for (int round = 0; round < 100; round++) {
                Duration delay = Backoff.defaults().delay(late);
                assertTrue(delay.compareTo(atLeast) >= 0 && delay.compareTo(CAP) <= 0, delay.toString());
            }
        }
    }

    /** Many clients cut off together draw different waits, spread over the whole jitter: 0.8 to 1 times the longest wait. */
    @Test
    void jitterSpreadsTheDelaysOfManyClients() {
        for (int attempt : new int[] {1, 6, 15, 30}) {
            long longest = Backoff.defaults().withJitter(0).delay(attempt).toNanos();
            long low = longest - longest / 5;
            Set<Long> distinct = new HashSet<>();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int client = 0; client < 1_000; client++) {
                long delay = Backoff.defaults().delay(attempt).toNanos();
                assertTrue(delay >= low && delay <= longest, delay + " ns not within " + low + "-" + longest);
                distinct.add(delay);
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            assertTrue(distinct.size() > 900, "1000 clients drew only " + distinct.size() + " different waits");
            long span = longest - low;
            assertTrue(min < low + span / 10 && max > longest - span / 10,
                    "the draws cover the range: " + min + "-" + max + " ns of " + low + "-" + longest);
        }
    }

    @Test
    void exponentialDoublesWithinTheUpperHalfUpToTheMaximum() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int round = 0; round < 200; round++) {
            assertBetween(backoff.delay(1), 50, 100);
            assertBetween(backoff.delay(2), 100, 200);
            assertBetween(backoff.delay(3), 200, 400);
            assertBetween(backoff.delay(5), 500, 1000);
            assertBetween(backoff.delay(1_000_000), 500, 1000);
        }
    }

    @Test
    void withJitterReplacesTheJitterOfTethersStrategies() {
        Backoff exact = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0);
        assertEquals(Duration.ofMillis(100), exact.delay(1));
        assertEquals(Duration.ofMillis(400), exact.delay(3));
        assertEquals(Duration.ofSeconds(1), exact.delay(Integer.MAX_VALUE));
        Backoff full = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0.5).withJitter(1);
        assertEquals(Duration.ofMillis(400), ((JitteredBackoff) full).drawingFrom(() -> 0.0).delay(3));
        assertTrue(((JitteredBackoff) full).drawingFrom(() -> SHORTEST).delay(3).toNanos() <= 1, "full jitter may leave no wait");
        for (int round = 0; round < 200; round++) {
            assertBetween(full.delay(3), 0, 400);
            assertBetween(Backoff.fixed(Duration.ofSeconds(1)).withJitter(0.5).delay(7), 500, 1000);
        }
    }

    @Test
    void withJitterOnAStrategyOfOnesOwnDrawsBelowItsWaits() {
        Backoff own = attempt -> Duration.ofMillis(100L * attempt);
        for (int round = 0; round < 200; round++) {
            assertBetween(own.withJitter(0.25).delay(4), 300, 400);
        }
        assertEquals(Duration.ofMillis(400), own.withJitter(0.25).withJitter(0).delay(4));
        assertEquals(Duration.ZERO, ((Backoff) attempt -> Duration.ofMillis(-5)).withJitter(0.5).delay(1));
    }

    @Test
    void fixedAlwaysWaitsTheSame() {
        assertEquals(Duration.ofMillis(7), Backoff.fixed(Duration.ofMillis(7)).delay(9));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), Backoff.fixed(Duration.ofDays(365L * 1000)).delay(1));
    }

    @Test
    void badArgumentsNameTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("initial <= maximum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(Duration.ofMillis(-1)));
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException jitter = assertThrows(IllegalArgumentException.class,
                    () -> Backoff.defaults().withJitter(bad));
            assertTrue(jitter.getMessage().contains("between 0 and 1"), jitter.getMessage());
        }
    }

    private static void assertBetween(Duration delay, long minMillis, long maxMillis) {
        assertTrue(delay.toMillis() >= minMillis && delay.toMillis() <= maxMillis,
                delay + " is not within " + minMillis + "-" + maxMillis + " ms");
    }
}
