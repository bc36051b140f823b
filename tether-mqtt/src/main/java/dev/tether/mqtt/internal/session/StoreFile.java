package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client's open log file: appends records, rewrites it whole for compaction, and holds the
 * lock that keeps a second live client off it. A failure to open, append or empty it is an
 * {@link MqttException} naming the file; a failed rewrite is a plain {@link IOException}, since
 * the old log is still whole and the store only logs it. Not thread-safe: {@link FileStateStore}
 * calls it under its lock.
 *
 * <p>The lock is taken on a file of its own next to the log ({@code .tss.lock}), not on the log:
 * compaction replaces the log by renaming a new file over it, and a lock on the old file would
 * not cover the new one. The lock file is never deleted, since deleting it would let a second
 * process lock a new file of the same name while the first still holds the old one. Within one
 * JVM a set of locked paths refuses the second open before it opens the lock file at all: on
 * POSIX systems closing any channel to a file drops every lock the process holds on it.
 *
 * <p>An append goes to the file with one write call and returns once the operating system has
 * it, which survives a kill of the process; with {@code fsync} it is also forced to the disk,
 * which survives a power loss or an operating system crash, at the cost of a disk flush per change.
 * A rewrite is always forced before it replaces the old log, since the rename may reach the disk
 * before the data otherwise.
 */
final class StoreFile implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.session");
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path lockPath;
    private final Path temporaryPath;
    private final String clientIdentifier;
    private final byte[] header;
    private final boolean fsync;
    private final FileChannel lockChannel;
    private FileChannel channel;
    private long end;
    private String broken;

    private StoreFile(Path directory, String clientIdentifier, boolean fsync, FileChannel lockChannel, Path lockPath) {
        String name = SessionFileName.of(clientIdentifier);
        this.path = directory.resolve(name + SessionFileName.SUFFIX);
        this.temporaryPath = directory.resolve(name + SessionFileName.TEMPORARY_SUFFIX);
        this.lockPath = lockPath;
        this.clientIdentifier = clientIdentifier;
        this.header = StoreFormat.header(clientIdentifier);
        this.fsync = fsync;
        this.lockChannel = lockChannel;
    }

    /**
     * Locks and opens the log of {@code clientIdentifier} in {@code directory}, creating both if
     * need be, and replays it into {@code state}. A torn last record is cut off the file.
     *
     * @throws MqttException if the file is locked, damaged or cannot be read or created
     */
    static StoreFile open(Path directory, String clientIdentifier, boolean fsync, LiveState state) throws MqttException {
        String name = SessionFileName.of(clientIdentifier);
        Path lockPath = directory.resolve(name + SessionFileName.LOCK_SUFFIX);
        Path logPath = directory.resolve(name + SessionFileName.SUFFIX);
        try {
            Files.createDirectories(directory);
            lockPath = directory.toRealPath().resolve(lockPath.getFileName());
        } catch (IOException e) {
            throw failure(logPath, "cannot create its directory", e);
        }
        if (!LOCKED_IN_THIS_JVM.add(lockPath)) {
            throw inUse(logPath, "by another client in this process");
        }
        StoreFile file = null;
        try {
            file = new StoreFile(directory, clientIdentifier, fsync, lock(lockPath, logPath), lockPath);
            file.load(state);
            return file;
        } catch (MqttException | RuntimeException e) {
            if (file != null) {
                file.close();
            } else {
                LOCKED_IN_THIS_JVM.remove(lockPath);
            }
            throw e;
        }
    }

    private static FileChannel lock(Path lockPath, Path logPath) throws MqttException {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(logPath, "by another process (" + lockPath.getFileName() + " is locked)");
            }
            return channel;
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            if (e instanceof MqttException mqtt) {
                throw mqtt;
            }
            throw failure(logPath, "cannot lock " + lockPath, e);
        }
    }

    private void load(LiveState state) throws MqttException {
        try {
            // a kill during a compaction leaves its new log unfinished; the old one is whole
            Files.deleteIfExists(temporaryPath);
            if (!Files.exists(path)) {
                rewrite(List.of());
            } else {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            StoreReader.Result result = StoreReader.replay(path, channel, clientIdentifier, state);
            end = result.end();
            if (result.tornTail() != null) {
                LOG.log(System.Logger.Level.INFO, "session store {0}: dropped {1}, left by a crash during a write;"
                        + " the state written before it is kept", path, result.tornTail());
                channel.truncate(end);
                force();
            }
        } catch (MqttException e) {
            throw e;
        } catch (IOException e) {
            throw failure(path, "cannot open it", e);
        }
    }

    Path path() {
        return path;
    }

    /** The length of the log in bytes. */
    long size() {
        return end;
    }

    /** The length of the log with no record in it. */
    long headerSize() {
        return header.length;
    }

    /**
     * Appends one record. If the write fails the file is cut back to where it was, so that a
     * half-written record does not end up in the middle of the log.
     */
    void append(byte[] body) throws MqttException {
        checkUsable();
        ByteBuffer[] record = {ByteBuffer.wrap(StoreFormat.recordHeader(body)), ByteBuffer.wrap(body)};
        try {
            channel.position(end);
            while (record[1].hasRemaining()) {
                channel.write(record);
            }
            force();
            end += StoreFormat.recordSize(body.length);
        } catch (IOException e) {
            rollBack();
            throw failure(path, "cannot write to it", e);
        }
    }

    /**
     * Cuts off a failed append. The channel may be closed (a FileChannel closes itself when a
     * thread blocked in it is interrupted), so this goes through a new one, with the thread's
     * interrupt status set aside meanwhile, else the new channel would close at once too.
     */
    private void rollBack() {
        boolean interrupted = Thread.interrupted();
        try {
            closeQuietly(channel);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.truncate(end);
            force();
        } catch (IOException e) {
            broken = "a write failed and its partial record could not be cut off (" + e + ")";
            closeQuietly(channel);
            channel = null;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Empties the log down to its header. */
    void truncate() throws MqttException {
        checkUsable();
        try {
            channel.truncate(header.length);
            force();
            end = header.length;
        } catch (IOException e) {
            rollBack();
            throw failure(path, "cannot empty it", e);
        }
    }

    /**
     * Replaces the log by one holding only {@code bodies}: written to a temporary file, forced to
     * the disk, then renamed over the log in one atomic step, so that a crash at any point leaves
     * either the old log or the new one, whole.
     */
    void rewrite(List<byte[]> bodies) throws IOException {
        long size = header.length;
        try (FileChannel temporary = FileChannel.open(temporaryPath, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(temporary), 1 << 16);
            out.write(header);
            for (byte[] body : bodies) {
                out.write(StoreFormat.recordHeader(body));
                out.write(body);
                size += StoreFormat.recordSize(body.length);
            }
            out.flush();
            temporary.force(true);
        } catch (IOException e) {
            deleteQuietly(temporaryPath);
            throw e;
        }
        closeQuietly(channel);
        channel = null;
        try {
            Files.move(temporaryPath, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temporaryPath);
            reopen(end);
            throw e;
        }
        forceDirectory();
        reopen(size);
    }

    private void reopen(long size) throws IOException {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            end = size;
        } catch (IOException e) {
            broken = "it could not be opened again after a compaction (" + e + ")";
            throw e;
        }
    }

    /** With fsync, also the rename must reach the disk; not every platform can force a directory. */
    private void forceDirectory() {
        if (!fsync) {
            return;
        }
        try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "session store {0}: directory not forced: {1}", path, e.toString());
        }
    }

    private void force() throws IOException {
        if (fsync) {
            channel.force(false);
        }
    }

    private void checkUsable() throws MqttException {
        if (broken != null) {
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "session store " + path
                    + " is unusable: " + broken + "; open the store again to recover");
        }
    }

    /** Releases the file and its lock; the log stays. */
    @Override
    public void close() {
        closeQuietly(channel);
        channel = null;
        closeQuietly(lockChannel); // releases the lock
        LOCKED_IN_THIS_JVM.remove(lockPath);
    }

    static MqttException failure(Path path, String what, Exception cause) {
        return new MqttException(ReasonCode.UNSPECIFIED_ERROR, "session store " + path + ": " + what + ": " + cause,
                cause);
    }

    private static MqttException inUse(Path path, String byWhom) {
        return new MqttException(ReasonCode.UNSPECIFIED_ERROR, "session store " + path + " is in use " + byWhom
                + ": two live clients with one identifier cannot share a session");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a session store file failed: {0}", e.toString());
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not delete {0}: {1}", file, e.toString());
        }
    }
}
