package dev.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesAreWithinThreePercent() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (long micros = 1; micros <= 10_000; micros++) {
            recorder.record(micros * 1000);
        }
        LatencyRecorder.Snapshot snapshot = recorder.snapshot();

        assertEquals(10_000, snapshot.count());
        assertClose(5_000_000, snapshot.percentile(50));
        assertClose(9_900_000, snapshot.percentile(99));
        assertClose(10_000_000, snapshot.max());
    }

    @Test
    void snapshotsSubtract() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(1_000);
        LatencyRecorder.Snapshot before = recorder.snapshot();
        recorder.record(2_000_000);

        LatencyRecorder.Snapshot since = recorder.snapshot().since(before);

        assertEquals(1, since.count());
        assertClose(2_000_000, since.percentile(50));
        assertEquals(-1, new LatencyRecorder().snapshot().percentile(50));
    }

    @Test
    void everyBucketHoldsItsOwnValue() {
        for (long value : new long[] {0, 1, 31, 32, 33, 63, 64, 1000, 123_456_789, Long.MAX_VALUE / 2}) {
            long bucketValue = LatencyRecorder.value(LatencyRecorder.index(value));
            assertEquals(LatencyRecorder.index(value), LatencyRecorder.index(bucketValue), "value " + value);
        }
    }

    private static void assertClose(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.03, "expected about " + expected + ", was " + actual);
    }
}
