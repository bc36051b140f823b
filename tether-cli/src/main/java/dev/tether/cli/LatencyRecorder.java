package dev.tether.cli;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in log-linear buckets, 32 per power of two, so a percentile is within about 3% of
 * the true value: lock-free to record from many threads, small enough to snapshot every second.
 */
final class LatencyRecorder {

    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = SUB_BUCKETS + (64 - SUB_BUCKET_BITS) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency; negative values count as zero. */
    void record(long nanos) {
        counts.incrementAndGet(index(Math.max(0, nanos)));
    }

    /** {@return the counts now, to compute percentiles from or subtract an earlier snapshot from} */
    Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy);
    }

    static int index(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        int shift = exponent - SUB_BUCKET_BITS;
        int sub = (int) (nanos >>> shift) & (SUB_BUCKETS - 1);
        return SUB_BUCKETS + shift * SUB_BUCKETS + sub;
    }

    /** {@return the middle of the bucket, the value reported for everything in it} */
    static long value(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        int sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        long low = (long) (SUB_BUCKETS + sub) << shift;
        return low + ((1L << shift) >>> 1);
    }

    /** Bucket counts at one moment. */
    static final class Snapshot {
        private final long[] counts;
        private final long total;

        Snapshot(long[] counts) {
            this.counts = counts;
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            this.total = sum;
        }

        /** {@return how many latencies were recorded} */
        long count() {
            return total;
        }

        /** {@return what was recorded since {@code earlier}} */
        Snapshot since(Snapshot earlier) {
            long[] difference = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                difference[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(difference);
        }

        /**
         * {@return the latency below which {@code percent} of the recorded ones lie, in
         * nanoseconds; -1 when nothing was recorded}
         */
        long percentile(double percent) {
            if (total == 0) {
                return -1;
            }
            long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return value(i);
                }
            }
            return value(counts.length - 1);
        }

        /** {@return the highest latency recorded, within the bucket's precision; -1 when none} */
        long max() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] != 0) {
                    return value(i);
                }
            }
            return -1;
        }
    }
}
