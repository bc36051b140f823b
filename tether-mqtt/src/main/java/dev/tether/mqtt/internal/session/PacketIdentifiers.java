package dev.tether.mqtt.internal.session;

import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out packet identifiers 1 to 65535 that are not in use, round robin so a just-freed
 * identifier is not reused at once [MQTT-2.2.1-3].
 */
public final class PacketIdentifiers {

    /*
     * Grows as identifiers are handed out (to 8 KiB once the round has gone through all 65,535)
     * instead of starting at full size: an idle client keeps a few bytes.
     */
    private final BitSet inUse = new BitSet();
    private final ReentrantLock lock = new ReentrantLock();
    private int next = 1;

    /**
     * @return a free identifier
     * @throws IllegalStateException if all 65,535 are in use (the flow-control limits make this unreachable)
     */
    public int acquire() {
        lock.lock();
        try {
            int candidate = inUse.nextClearBit(next);
            if (candidate > 0xFFFF) {
                candidate = inUse.nextClearBit(1);
                if (candidate > 0xFFFF) {
                    throw new IllegalStateException("all 65535 packet identifiers are in use");
                }
            }
            inUse.set(candidate);
            next = candidate == 0xFFFF ? 1 : candidate + 1;
            return candidate;
        } finally {
            lock.unlock();
        }
    }

    public void release(int packetId) {
        lock.lock();
        try {
            inUse.clear(packetId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks an identifier in use that a stored session brought back.
     *
     * @param packetId 1 to 65535
     */
    public void reserve(int packetId) {
        lock.lock();
        try {
            inUse.set(packetId);
        } finally {
            lock.unlock();
        }
    }
}
