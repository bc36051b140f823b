package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checks every message a subscriber receives. A payload is the publisher's index (4 bytes), the
 * message's sequence number (4 bytes), then a fixed pattern: each message is checked byte for
 * byte, counted, and its sequence number compared with the one expected from its publisher.
 * A number past the expected one means messages lost (or reordered), one before it a duplicate.
 */
final class Tally implements Library.Receiver {

    private final ReentrantLock lock = new ReentrantLock();
    private final String[] topics;
    private final int[] expected;
    private final int[] next;
    private final byte[] pattern;
    /** The pattern after the publisher and sequence numbers, what every payload must hold from byte 8 on. */
    private final ByteBuffer patternTail;
    private final long total;
    private long received;
    private long skipped;
    private long duplicates;
    private long corrupt;
    private volatile long lastNanos;
    private volatile long receivedSnapshot;

    Tally(String topicPrefix, int publishers, int messagesPerPublisher, int payloadSize) {
        topics = new String[publishers];
        for (int p = 0; p < publishers; p++) {
            topics[p] = topicPrefix + p;
        }
        expected = new int[publishers];
        Arrays.fill(expected, messagesPerPublisher);
        next = new int[publishers];
        pattern = pattern(payloadSize);
        patternTail = ByteBuffer.wrap(pattern, 8, pattern.length - 8).slice();
        total = (long) publishers * messagesPerPublisher;
    }

    static byte[] pattern(int payloadSize) {
        byte[] pattern = new byte[Math.max(payloadSize, 8)];
        for (int i = 8; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        return pattern;
    }

    /** {@return a new payload of the message {@code sequence} of {@code publisher}} */
    static byte[] payload(byte[] pattern, int publisher, int sequence) {
        byte[] payload = pattern.clone();
        putInt(payload, 0, publisher);
        putInt(payload, 4, sequence);
        return payload;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    /** Big-endian, as {@link #putInt} wrote it, whatever byte order the library's buffer has. */
    private static int getInt(ByteBuffer bytes, int at) {
        return (bytes.get(at) & 0xFF) << 24 | (bytes.get(at + 1) & 0xFF) << 16 | (bytes.get(at + 2) & 0xFF) << 8
                | bytes.get(at + 3) & 0xFF;
    }

    @Override
    public void onMessage(String topic, ByteBuffer payload) {
        lock.lock();
        try {
            received++;
            int start = payload.position();
            if (payload.remaining() != pattern.length
                    || payload.slice(start + 8, pattern.length - 8).mismatch(patternTail) != -1) {
                corrupt++;
                return;
            }
            int publisher = getInt(payload, start);
            int sequence = getInt(payload, start + 4);
            if (publisher < 0 || publisher >= next.length || sequence < 0 || sequence >= expected[publisher]
                    || !topic.equals(topics[publisher])) {
                corrupt++;
                return;
            }
            if (sequence == next[publisher]) {
                next[publisher]++;
            } else if (sequence > next[publisher]) {
                skipped += sequence - next[publisher];
                next[publisher] = sequence + 1;
            } else {
                duplicates++;
            }
            receivedSnapshot = received;
            lastNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    long received() {
        return receivedSnapshot;
    }

    long lastNanos() {
        return lastNanos;
    }

    /** {@return whether every message came, once, in order, intact} */
    boolean complete() {
        lock.lock();
        try {
            for (int p = 0; p < next.length; p++) {
                if (next[p] != expected[p]) {
                    return false;
                }
            }
            return skipped == 0 && duplicates == 0 && corrupt == 0;
        } finally {
            lock.unlock();
        }
    }

    /** The verdict, as printed in the table. */
    record Verdict(long expected, long received, long lost, long outOfOrder, long duplicates, long corrupt) {
        boolean ok(int qos) {
            return corrupt == 0 && outOfOrder == 0 && (qos == 0 || lost == 0) && (qos != 2 || duplicates == 0);
        }

        String describe() {
            if (received == expected && lost == 0 && outOfOrder == 0 && duplicates == 0 && corrupt == 0) {
                return "ok";
            }
            return "got " + received + "/" + expected + (lost > 0 ? " lost " + lost : "")
                    + (outOfOrder > 0 ? " reordered " + outOfOrder : "") + (duplicates > 0 ? " dup " + duplicates : "")
                    + (corrupt > 0 ? " corrupt " + corrupt : "");
        }
    }

    Verdict verdict() {
        lock.lock();
        try {
            long missing = 0;
            for (int p = 0; p < next.length; p++) {
                missing += expected[p] - next[p];
            }
            // A skipped number that never came is lost; one that came later was reordered
            // (counted as a duplicate above, since it arrived below the expected number).
            long lost = missing + skipped;
            long reordered = Math.min(skipped, duplicates);
            lost -= reordered;
            return new Verdict(total, received, lost, reordered, duplicates - reordered, corrupt);
        } finally {
            lock.unlock();
        }
    }
}
