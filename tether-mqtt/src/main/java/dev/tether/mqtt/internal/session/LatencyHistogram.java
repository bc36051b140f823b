package dev.tether.mqtt.internal.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free histogram of durations in nanoseconds: each power of two is split into four buckets,
 * so a percentile read from it is at most 25 % above the true value. Fixed size (256 counters)
 * however many values are recorded.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 2;
    private final AtomicLongArray counts = new AtomicLongArray(64 << SUB_BUCKET_BITS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong maximum = new AtomicLong();

    /** Records one duration; negative values count as zero. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(bucket(value));
        total.incrementAndGet();
        maximum.accumulateAndGet(value, Math::max);
    }

    /** {@return how many durations were recorded} */
    public long count() {
        return total.get();
    }

    /** {@return the longest duration recorded, 0 if none} */
    public long maximum() {
        return maximum.get();
    }

    /**
     * @param quantile between 0 and 1, such as 0.99
     * @return the upper bound of the bucket holding that quantile, never above the maximum; 0 if nothing was recorded
     */
    public long quantile(double quantile) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * n));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), maximum.get());
            }
        }
        return maximum.get();
    }

    private static int bucket(long value) {
        if (value < (1L << SUB_BUCKET_BITS)) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = (int) (value >>> (exponent - SUB_BUCKET_BITS)) & ((1 << SUB_BUCKET_BITS) - 1);
        return (exponent << SUB_BUCKET_BITS) + sub;
    }

    private static long upperBound(int bucket) {
        int exponent = bucket >>> SUB_BUCKET_BITS;
        int sub = bucket & ((1 << SUB_BUCKET_BITS) - 1);
        if (exponent < SUB_BUCKET_BITS) {
            return bucket;
        }
        long base = 1L << exponent;
        long step = base >>> SUB_BUCKET_BITS;
        return base + (sub + 1) * step - 1;
    }
}
