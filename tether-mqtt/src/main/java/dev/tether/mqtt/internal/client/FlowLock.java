package dev.tether.mqtt.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of {@link OutboundFlows}: a flow that finishes while it is held has its future
 * completed only once it is released, so that no dependent stage a caller added runs under it.
 */
final class FlowLock {

    private final ReentrantLock lock = new ReentrantLock();
    /** Flows whose futures are to be completed once the lock is released. */
    private final List<OutboundFlow> completions = new ArrayList<>();

    void lock() {
        lock.lock();
    }

    Condition newCondition() {
        return lock.newCondition();
    }

    /** Completes the flow's future when the lock is released; under the lock. */
    void completeLater(OutboundFlow flow) {
        completions.add(flow);
    }

    /** Releases the lock, then completes the futures of the flows that finished while it was held. */
    void unlock() {
        if (completions.isEmpty() || lock.getHoldCount() > 1) {
            lock.unlock();
            return;
        }
        if (completions.size() == 1) { // the usual case: no copy of the list
            OutboundFlow only = completions.removeFirst();
            lock.unlock();
            only.completeReply();
            return;
        }
        OutboundFlow[] run = completions.toArray(new OutboundFlow[0]);
        completions.clear();
        lock.unlock();
        for (OutboundFlow flow : run) {
            flow.completeReply();
        }
    }
}
