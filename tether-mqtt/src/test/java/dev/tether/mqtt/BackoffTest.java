package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

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
    void jitterSpreadsTheDelays() {
        Backoff backoff = Backoff.defaults();
        long first = backoff.delay(4).toNanos();
        boolean differs = false;
        for (int i = 0; i < 100 && !differs; i++) {
            differs = backoff.delay(4).toNanos() != first;
        }
        assertTrue(differs, "delays are drawn at random");
    }

    @Test
    void fixedAlwaysWaitsTheSame() {
        assertEquals(Duration.ofMillis(7), Backoff.fixed(Duration.ofMillis(7)).delay(9));
    }

    @Test
    void badArgumentsNameTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("initial <= maximum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(Duration.ofMillis(-1)));
    }

    private static void assertBetween(Duration delay, long minMillis, long maxMillis) {
        assertTrue(delay.toMillis() >= minMillis && delay.toMillis() <= maxMillis,
                delay + " is not within " + minMillis + "-" + maxMillis + " ms");
    }
}
