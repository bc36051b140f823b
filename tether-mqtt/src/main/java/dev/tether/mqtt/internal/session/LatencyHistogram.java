package dev.tether.mqtt.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free histogram of durations in nanoseconds: each power of two is split into four buckets,
 * so a percentile read from it is at most 25 % above the true value. Fixed size (256 counters)
 * however many values are recorded, allocated on the first record: every client has one, and
 * an idle client that never publishes should not carry 2 KiB of zeros.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 2;
    private static final int BUCKETS = 64 << SUB_BUCKET_BITS;
    private static final VarHandle COUNTS;

    static {
        try {
            COUNTS = MethodHandles.lookup().findVarHandle(LatencyHistogram.class, "counts", AtomicLongArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null until the first record; set once, by compare-and-set, so concurrent first records share one array. */
    private volatile AtomicLongArray counts;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong maximum = new AtomicLong();

    /** Records one duration; negative values count as zero. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        AtomicLongArray buckets = counts;
        if (buckets == null) {
            AtomicLongArray fresh = new AtomicLongArray(BUCKETS);
            AtomicLongArray witness = (AtomicLongArray) COUNTS.compareAndExchange(this, null, fresh);
            buckets = witness == null ? fresh : witness;
        }
        // The counter goes up before the total, so a reader that sees a total above zero sees the array.
        buckets.incrementAndGet(bucket(value));
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
        AtomicLongArray buckets = counts;
        if (n == 0 || buckets == null) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * n));
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
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
