package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;

/**
 * One MQTT client library as the harness drives it: connect, subscribe with a callback, publish
 * asynchronously with a completion callback. Every adapter is configured alike (clean session,
 * no automatic reconnect, keep-alive 60 s, no persistence) and its settings are documented in
 * its class.
 */
interface Library {

    /** {@return the name in the table} */
    String name();

    /** {@return true for the raw socket writer, the upper bound} */
    default boolean isRaw() {
        return false;
    }

    /**
     * Connects a new client, waiting for the CONNACK.
     *
     * @param host broker host
     * @param port broker port
     * @param clientId the client identifier
     * @param window how many QoS 1/2 publishes the harness keeps outstanding at most (for the
     *     libraries that need it configured, such as Paho's max in-flight)
     */
    Connection connect(String host, int port, String clientId, int window) throws Exception;

    /**
     * Receives messages, on whatever thread the library delivers them. The payload is handed over
     * as the library holds it, without a copy where its API allows one to be avoided (a view of
     * its own bytes, possibly read-only), so that no library is charged for a copy the harness
     * asked for: the receiver reads it, from its position to its limit, and never changes it.
     */
    @FunctionalInterface
    interface Receiver {
        void onMessage(String topic, ByteBuffer payload);
    }

    /** Called once a publish is complete: written (QoS 0), PUBACK (QoS 1), PUBCOMP (QoS 2). */
    interface Completion {
        void done();

        void failed(Throwable cause);

        /** {@return a completion that waits for nothing and prints failures, named by {@code what}} */
        static Completion printingFailures(String what) {
            return new Completion() {
                @Override
                public void done() {
                }

                @Override
                public void failed(Throwable cause) {
                    System.out.println("  " + what + " failed: " + cause);
                }
            };
        }
    }

    /** Messages taken by the caller's thread. */
    @FunctionalInterface
    interface Pull {
        /** {@return the next payload (as {@link Receiver} has it), or null after the timeout} */
        ByteBuffer take(long timeoutNanos) throws Exception;
    }

    /** One connected client. */
    interface Connection extends AutoCloseable {

        /** Subscribes, waiting for the SUBACK; messages go to {@code receiver}. */
        void subscribe(String filter, int qos, Receiver receiver) throws Exception;

        /**
         * Subscribes for a thread that waits for each message itself (the ping-pong scenario).
         * By default a callback hands messages over through a queue; a library whose natural
         * API is a blocking receive overrides this, so it is not charged for an extra hand-over.
         */
        default Pull subscribeForPull(String filter, int qos) throws Exception {
            java.util.concurrent.ArrayBlockingQueue<ByteBuffer> queue = new java.util.concurrent.ArrayBlockingQueue<>(1024);
            subscribe(filter, qos, (topic, payload) -> queue.offer(payload));
            return timeoutNanos -> queue.poll(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /**
         * Answers every message on {@code requests} by publishing its payload to {@code replies}
         * at QoS 0, as an application written in the library's idiom would: by default from the
         * message callback, with the payload as a new array (what Paho's {@code getPayload()} and
         * the HiveMQ client's {@code getPayloadAsBytes()} hand out). A library whose idiom is a
         * consumer loop overrides it.
         */
        default void respond(String requests, String replies) throws Exception {
            Completion ignore = Completion.printingFailures("reply");
            subscribe(requests, 0, (topic, payload) -> {
                byte[] bytes;
                if (payload.hasArray() && !payload.isReadOnly() && payload.arrayOffset() == 0 && payload.position() == 0
                        && payload.remaining() == payload.array().length) {
                    bytes = payload.array(); // Paho hands out an array of its own: its idiom passes it on as it is
                } else {
                    bytes = new byte[payload.remaining()];
                    payload.duplicate().get(bytes);
                }
                try {
                    publish(replies, bytes, 0, ignore);
                } catch (Exception e) {
                    ignore.failed(e);
                }
            });
        }

        /** Publishes without waiting for the flow to finish; {@code completion} is called when it does. */
        void publish(String topic, byte[] payload, int qos, Completion completion) throws Exception;

        /** Disconnects cleanly. */
        @Override
        void close() throws Exception;
    }
}
