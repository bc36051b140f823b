package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.Qos;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child process of {@code FileStateStoreTest#survivesAKillOfTheProcessMidWrite}: applies
 * {@link #operations()} to a file store, printing each operation's index once its call has
 * returned, until it is killed. A small compaction floor makes the kill likely to hit a
 * compaction too.
 */
final class StoreWritingProcess {

    /** One store call. */
    record Operation(byte kind, int packetId) {

        void applyTo(StateStore store) throws Exception {
            switch (kind) {
                case StoreFormat.SENT -> store.outgoingSent(publish(packetId));
                case StoreFormat.RELEASED -> store.outgoingReleased(packetId);
                case StoreFormat.COMPLETED -> store.outgoingCompleted(packetId);
                case StoreFormat.INCOMING_RECEIVED -> store.incomingReceived(packetId);
                case StoreFormat.INCOMING_RELEASED -> store.incomingReleased(packetId);
                default -> throw new IllegalArgumentException("kind " + kind);
            }
        }
    }

    static final long COMPACTION_FLOOR = 16 * 1024;

    private StoreWritingProcess() {
    }

    /** args: directory, client identifier. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (FileStateStore store = new FileStateStore(Path.of(args[0]), false, COMPACTION_FLOOR)) {
            store.open(args[1]);
            out.println("open");
            out.flush();
            List<Operation> operations = operations();
            for (int i = 0; i < operations.size(); i++) {
                operations.get(i).applyTo(store);
                out.println(i);
                out.flush();
            }
        }
    }

    /**
     * Each step sends a message; nine in ten of the previous ones complete and the tenth is
     * released instead, so the live state grows slowly while the log grows fast. Every step
     * also receives an incoming QoS 2 message and releases the one before.
     */
    static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (int id = 1; id <= 60_000; id++) {
            operations.add(new Operation(StoreFormat.SENT, id));
            if (id > 1) {
                operations.add(new Operation((id - 1) % 10 == 0 ? StoreFormat.RELEASED : StoreFormat.COMPLETED, id - 1));
                operations.add(new Operation(StoreFormat.INCOMING_RELEASED, id - 1));
            }
            operations.add(new Operation(StoreFormat.INCOMING_RECEIVED, id));
        }
        return operations;
    }

    /** A QoS 2 PUBLISH with properties and a payload of 700 bytes, so that writes take long enough to be cut. */
    static Publish publish(int packetId) {
        byte[] payload = new byte[700];
        Arrays.fill(payload, (byte) packetId);
        Properties properties = Properties.builder()
                .integer(Property.MESSAGE_EXPIRY_INTERVAL, 3600)
                .string(Property.CONTENT_TYPE, "application/octet-stream")
                .userProperty("step", Integer.toString(packetId))
                .build();
        return new Publish("kill/" + packetId, payload, Qos.EXACTLY_ONCE, false, false, packetId, properties);
    }
}
