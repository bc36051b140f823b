package dev.tether.mqtt.internal.connection;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what went over a client's connections, shared by all of them in turn. */
public final class Traffic {

    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder publishesSent = new LongAdder();
    final LongAdder publishesReceived = new LongAdder();

    /** {@return bytes written} */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** {@return bytes read} */
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /** {@return PUBLISH packets written} */
    public long publishesSent() {
        return publishesSent.sum();
    }

    /** {@return PUBLISH packets read} */
    public long publishesReceived() {
        return publishesReceived.sum();
    }
}
