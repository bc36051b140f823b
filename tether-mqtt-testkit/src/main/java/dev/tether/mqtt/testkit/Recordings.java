package dev.tether.mqtt.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * What a {@link FaultProxy} keeps of the connections it accepted: each one under its index and,
 * for those accepted while recording was on, every byte each side sent, all within
 * {@link FaultProxy#RECORD_LIMIT}; and the waits for connections and for recorded bytes to be
 * passed on.
 */
final class Recordings {

    /** Guards the connection list and the recordings. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on new connections and on bytes forwarded in a recorded direction. */
    private final Condition progressed = lock.newCondition();

    private final List<ProxyConnection> connections = new ArrayList<>(); // guarded by lock
    private long budget = FaultProxy.RECORD_LIMIT; // guarded by lock
    private boolean truncated; // guarded by lock
    private volatile boolean recordNew;

    /** What one side sent on a recorded connection; guarded by the lock of its {@link Recordings}. */
    static final class Recording {
        private byte[] bytes = new byte[4096];
        private int length;

        private void append(byte[] data, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + count, Math.min(2 * bytes.length, FaultProxy.RECORD_LIMIT)));
            }
            System.arraycopy(data, 0, bytes, length, count);
            length += count;
        }
    }

    void recordNew(boolean on) {
        recordNew = on;
    }

    /**
     * Makes the next connection with its index, from 0 in the order accepted, and keeps it.
     *
     * @param make makes a connection, recorded or not, from its index
     */
    ProxyConnection add(IntFunction<ProxyConnection> make) {
        lock.lock();
        try {
            ProxyConnection connection = make.apply(connections.size());
            connections.add(connection);
            progressed.signalAll();
            return connection;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a connection accepted now is to be recorded. */
    boolean recordsNew() {
        return recordNew;
    }

    /** Records {@code data} as far as the budget goes. */
    void append(Recording recording, byte[] data) {
        lock.lock();
        try {
            int granted = (int) Math.min(data.length, budget);
            budget -= granted;
            if (granted < data.length) {
                truncated = true;
            }
            recording.append(data, granted);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the waits up after bytes were forwarded in a recorded direction. */
    void forwarded() {
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int count() {
        lock.lock();
        try {
            return connections.size();
        } finally {
            lock.unlock();
        }
    }

    boolean truncated() {
        lock.lock();
        try {
            return truncated;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link FaultProxy#awaitConnections(int, Duration)}. */
    boolean awaitCount(int n, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (connections.size() < n) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = progressed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link FaultProxy#clientBytes(int)} and {@link FaultProxy#serverBytes(int)}. */
    byte[] recorded(int connectionIndex, boolean fromClient) {
        lock.lock();
        try {
            if (connectionIndex < 0 || connectionIndex >= connections.size()) {
                throw new IndexOutOfBoundsException("connection " + connectionIndex + " of "
                        + connections.size() + " accepted so far");
            }
            Recording recording = connections.get(connectionIndex).direction(fromClient).recording;
            if (recording == null) {
                throw new IllegalStateException("connection " + connectionIndex
                        + " was accepted while recording was off: call record(true) before the client connects");
            }
            return Arrays.copyOf(recording.bytes, recording.length);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link FaultProxy#awaitClientBytes} and {@link FaultProxy#awaitServerBytes}. */
    boolean awaitForwarded(byte[] wanted, Duration timeout, boolean fromClient) throws InterruptedException {
        long remaining = timeout.toNanos();
        int[] searched = new int[0]; // per connection: where the next search starts
        lock.lock();
        try {
            while (true) {
                boolean anyRecorded = false;
                if (searched.length < connections.size()) {
                    searched = Arrays.copyOf(searched, connections.size());
                }
                for (int i = 0; i < connections.size(); i++) {
                    ProxyConnection.Direction direction = connections.get(i).direction(fromClient);
                    if (direction.recording != null) {
                        anyRecorded = true;
                        int forwarded = (int) Math.min(direction.recording.length, direction.forwarded);
                        if (indexOf(direction.recording.bytes, searched[i], forwarded, wanted) >= 0) {
                            return true;
                        }
                        searched[i] = Math.max(searched[i], forwarded - wanted.length + 1);
                    }
                }
                if (!anyRecorded && !recordNew) {
                    throw new IllegalStateException("nothing recorded: call record(true) before the client connects");
                }
                if (remaining <= 0) {
                    return false;
                }
                remaining = progressed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    private static int indexOf(byte[] haystack, int from, int length, byte[] needle) {
        outer:
        for (int i = from; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
