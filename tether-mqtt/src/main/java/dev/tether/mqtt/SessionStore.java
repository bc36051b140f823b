package dev.tether.mqtt;

import dev.tether.mqtt.internal.session.FileStateStore;
import dev.tether.mqtt.internal.session.MemoryStateStore;
import dev.tether.mqtt.internal.session.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a client keeps the session state that must outlive a connection: its QoS 1 and 2
 * messages not yet acknowledged by the broker, and the QoS 2 messages it received but the broker
 * has not yet released.
 *
 * <p>{@link #inMemory()}, the default, keeps them as long as the client object lives: reconnects
 * resume the flows, a restarted process does not. {@link #file(Path)} keeps them in a directory,
 * one file per client identifier, so that a process that was killed and starts again with the
 * same client identifier and directory completes what it had started: every QoS 1 message whose
 * publish had returned is delivered at least once, every QoS 2 message exactly once.
 *
 * <pre>{@code
 * SessionStore store = SessionStore.file(Path.of("/var/lib/sensor/mqtt-sessions"));
 * }</pre>
 *
 * <p>A file store is for a fixed client identifier: an identifier the broker assigns changes
 * with every connection, so there would be nothing to find again. While a client has its file
 * open, no other client, in this process or another, can open it.
 */
public final class SessionStore {

    private final Supplier<StateStore> stores;
    private final String description;

    private SessionStore(Supplier<StateStore> stores, String description) {
        this.stores = stores;
        this.description = description;
    }

    /**
     * A store that keeps the state in memory only; the default.
     *
     * @return the in-memory store
     */
    public static SessionStore inMemory() {
        return new SessionStore(MemoryStateStore::new, "SessionStore.inMemory()");
    }

    /**
     * A store that keeps the state in files in {@code directory}, written to the operating system
     * before each call returns: it survives the process being killed, though not necessarily a
     * power loss or an operating system crash. Same as {@code file(directory, false)}.
     *
     * @param directory where the files go, one per client identifier; created if absent
     * @return the file store
     * @throws NullPointerException if {@code directory} is null
     * @throws IllegalArgumentException if {@code directory} exists and is not a directory
     */
    public static SessionStore file(Path directory) {
        return file(directory, false);
    }

    /**
     * A store that keeps the state in files in {@code directory}.
     *
     * @param directory where the files go, one per client identifier; created if absent
     * @param fsync whether every change is also forced to the disk before the call returns, so
     *     that it survives a power loss or an operating system crash too; this costs a disk flush
     *     for every publish and acknowledgement
     * @return the file store
     * @throws NullPointerException if {@code directory} is null
     * @throws IllegalArgumentException if {@code directory} exists and is not a directory
     */
    public static SessionStore file(Path directory, boolean fsync) {
        Objects.requireNonNull(directory, "directory must not be null");
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("the session store directory must be a directory: " + directory
                    + " is a file");
        }
        Path absolute = directory.toAbsolutePath();
        return new SessionStore(() -> new FileStateStore(absolute, fsync),
                "SessionStore.file(" + absolute + (fsync ? ", fsync" : "") + ")");
    }

    /**
     * A new store for one client. Each client gets its own, so one file store can serve several
     * clients with different identifiers in one directory.
     */
    StateStore store() {
        return stores.get();
    }

    /** Whether the state outlives the process, so the client needs a fixed identifier. */
    boolean isDurable() {
        return !description.startsWith("SessionStore.inMemory");
    }

    /** {@return which store this is, and for a file store its directory} */
    @Override
    public String toString() {
        return description;
    }
}
