package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable store: an append-only log per client identifier in a directory of the user's, so
 * that a client killed with {@code kill -9} and started again with the same identifier and
 * directory completes its flows — every QoS 1 message whose publish returned is delivered at
 * least once, every QoS 2 message exactly once.
 *
 * <p>Each change is one record appended to the log before the call returns (the format is in
 * {@link StoreFormat}); the live state is also kept in memory, and is all a rewrite needs. When
 * the log has grown to more than twice what the live state takes, and past a floor of 1 MiB, it
 * is compacted: the live state is written to a new file that atomically replaces the log. On
 * open, a last record torn by a crash is dropped; any other damage is an error, never a silent
 * fresh start.
 *
 * <p>Durability: without {@code fsync} a call returns once the operating system has the record,
 * which survives the process being killed but not a power loss or an operating system crash;
 * with {@code fsync} every change is also forced to the disk, which survives those too and costs
 * a disk flush per publish and acknowledgement.
 *
 * <p>Thread-safe: one lock serialises the changes. One store serves one client at a time; a
 * second store (in this or another process) cannot open the same identifier while it is open.
 */
public final class FileStateStore implements StateStore {

    /** Below this size the log is never compacted: rewriting a small file gains nothing. */
    static final long DEFAULT_COMPACTION_FLOOR = 1 << 20;

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");

    private final Path directory;
    private final boolean fsync;
    private final long compactionFloor;
    private final PacketEncoder encoder = new PacketEncoder(ProtocolVersion.V5);
    private final ReentrantLock lock = new ReentrantLock();
    private final LiveState state = new LiveState();
    private StoreFile file;
    /** After a failed compaction, the size the log must reach before the next attempt. */
    private long nextCompactionAttempt;

    /**
     * @param directory where the logs go, one per client identifier; created if absent
     * @param fsync whether every change is also forced to the disk (see the class description)
     */
    public FileStateStore(Path directory, boolean fsync) {
        this(directory, fsync, DEFAULT_COMPACTION_FLOOR);
    }

    FileStateStore(Path directory, boolean fsync, long compactionFloor) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.fsync = fsync;
        this.compactionFloor = compactionFloor;
    }

    /**
     * @throws IllegalArgumentException if the identifier is empty (a broker-assigned identifier
     *     changes with every connection, so there is no session to find again) or longer than
     *     MQTT allows
     * @throws IllegalStateException if the store is already open
     */
    @Override
    public Recovered open(String clientIdentifier) throws MqttException {
        Objects.requireNonNull(clientIdentifier, "clientIdentifier");
        if (clientIdentifier.isEmpty()) {
            throw new IllegalArgumentException("a file session store needs a client identifier, not the empty one");
        }
        if (clientIdentifier.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new IllegalArgumentException("a client identifier is at most 65535 UTF-8 bytes");
        }
        lock.lock();
        try {
            if (file != null) {
                throw new IllegalStateException("the session store " + file.path() + " is already open");
            }
            state.clear();
            StoreFile opened = StoreFile.open(directory, clientIdentifier, fsync, state);
            try {
                Recovered recovered = recovered(opened.path());
                file = opened;
                nextCompactionAttempt = 0;
                compactIfLarge();
                return recovered;
            } catch (MqttException | RuntimeException e) {
                opened.close();
                state.clear();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** @throws IllegalArgumentException if the PUBLISH is QoS 0 or has no topic name */
    @Override
    public void outgoingSent(Publish publish) throws MqttException {
        append(sentBody(publish));
    }

    @Override
    public void outgoingReleased(int packetId) throws MqttException {
        append(StoreFormat.body(StoreFormat.RELEASED, checkPacketId(packetId)));
    }

    @Override
    public void outgoingCompleted(int packetId) throws MqttException {
        append(StoreFormat.body(StoreFormat.COMPLETED, checkPacketId(packetId)));
    }

    @Override
    public void incomingReceived(int packetId) throws MqttException {
        append(StoreFormat.body(StoreFormat.INCOMING_RECEIVED, checkPacketId(packetId)));
    }

    @Override
    public void incomingReleased(int packetId) throws MqttException {
        append(StoreFormat.body(StoreFormat.INCOMING_RELEASED, checkPacketId(packetId)));
    }

    @Override
    public void clear() throws MqttException {
        lock.lock();
        try {
            openFile().truncate();
            state.clear();
            nextCompactionAttempt = 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (file != null) {
                file.close();
                file = null;
                state.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FileStateStore[" + directory + (fsync ? ", fsync" : "") + "]";
    }

    /** The log file while open; for tests. */
    Path path() {
        lock.lock();
        try {
            return openFile().path();
        } finally {
            lock.unlock();
        }
    }

    private void append(byte[] body) throws MqttException {
        lock.lock();
        try {
            StoreFile log = openFile();
            if (!state.changes(body[0], StoreFormat.packetId(body))) {
                return;
            }
            log.append(body);
            state.apply(body);
            compactIfLarge();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Compacts when the log is over the floor and more than twice what the live state takes. A
     * failed compaction leaves the old log as it was; the change that triggered it is stored, so
     * the failure is logged, not thrown, and the next attempt waits until the log has doubled.
     */
    private void compactIfLarge() {
        long size = file.size();
        long live = file.headerSize() + state.recordBytes();
        if (size <= compactionFloor || size <= 2 * live || size < nextCompactionAttempt
                || Thread.currentThread().isInterrupted()) { // an interrupt would close the new file's channel
            return;
        }
        try {
            file.rewrite(state.snapshot());
            nextCompactionAttempt = 0;
            LOG.log(System.Logger.Level.DEBUG, "session store {0}: compacted from {1} to {2} bytes",
                    file.path(), size, file.size());
        } catch (IOException e) {
            nextCompactionAttempt = 2 * size;
            LOG.log(System.Logger.Level.WARNING, "session store {0}: compaction failed, the log stays as it is: {1}",
                    file.path(), e.toString());
        }
    }

    private StoreFile openFile() {
        if (file == null) {
            throw new IllegalStateException("the session store in " + directory + " is not open");
        }
        return file;
    }

    /** The SENT body: the PUBLISH as MQTT 5 bytes, without DUP and topic alias, which belong to one connection. */
    private byte[] sentBody(Publish publish) {
        if (publish.qos() == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("only QoS 1 and 2 messages are stored, not QoS 0");
        }
        if (publish.topic().isEmpty()) {
            throw new IllegalArgumentException("a stored PUBLISH needs its topic name, not only a topic alias");
        }
        Properties properties = publish.properties().contains(Property.TOPIC_ALIAS)
                ? publish.properties().without(Property.TOPIC_ALIAS)
                : publish.properties();
        Publish stored = new Publish(publish.topic(), publish.payload(), publish.qos(), publish.retain(), false,
                publish.packetId(), properties);
        byte[] body = new byte[StoreFormat.BODY_PREFIX_SIZE + encoder.size(stored)];
        body[0] = StoreFormat.SENT;
        body[1] = (byte) (publish.packetId() >>> 8);
        body[2] = (byte) publish.packetId();
        encoder.encode(stored, ByteBuffer.wrap(body, StoreFormat.BODY_PREFIX_SIZE, body.length - StoreFormat.BODY_PREFIX_SIZE));
        return body;
    }

    /** Decodes the stored PUBLISHes; a record that passed its checksum but does not decode was written wrongly. */
    private Recovered recovered(Path path) throws MqttException {
        List<OutgoingFlow> outgoing = new ArrayList<>();
        for (LiveState.Outgoing flow : state.outgoing()) {
            byte[] body = flow.sentBody();
            int packetId = StoreFormat.packetId(body);
            ByteBuffer bytes = ByteBuffer.wrap(body, StoreFormat.BODY_PREFIX_SIZE, body.length - StoreFormat.BODY_PREFIX_SIZE);
            try {
                Packet packet = new PacketDecoder(ProtocolVersion.V5, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE).decode(bytes);
                if (!(packet instanceof Publish publish) || bytes.hasRemaining() || publish.packetId() != packetId
                        || publish.qos() == Qos.AT_MOST_ONCE) {
                    throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "session store " + path
                            + " cannot be read: the record of outgoing packet identifier " + packetId
                            + " does not hold a whole QoS 1 or 2 PUBLISH with that identifier");
                }
                outgoing.add(new OutgoingFlow(publish, flow.released()));
            } catch (MalformedPacketException e) {
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "session store " + path
                        + " cannot be read: the PUBLISH of outgoing packet identifier " + packetId
                        + " does not decode: " + e.getMessage(), e);
            }
        }
        return new Recovered(outgoing, state.incoming());
    }

    private static int checkPacketId(int packetId) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("a packet identifier is 1 to 65535, was " + packetId);
        }
        return packetId;
    }
}
