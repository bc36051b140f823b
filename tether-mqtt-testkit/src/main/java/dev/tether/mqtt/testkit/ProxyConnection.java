package dev.tether.mqtt.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection through a {@link FaultProxy}, the client's socket and the proxy's own to the
 * server: a thread that connects, then per direction a reader that queues what it reads and a
 * writer that passes it on as the faults allow; and its end, in order or by a reset.
 */
final class ProxyConnection {

    private static final int CHUNK_BYTES = 16 * 1024;
    private static final int QUEUED_CHUNKS = 64; // 1 MiB per direction at most
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** A throttled writer writes at most this fraction of a second's bytes at once. */
    private static final int THROTTLE_SLICES_PER_SECOND = 20;

    /**
     * What the connections of one proxy share.
     *
     * @param live the connections not yet ended; a connection removes itself when it ends
     */
    record Shared(String targetHost, int targetPort, Faults faults, Recordings recordings, ProxyThreads threads,
            Set<ProxyConnection> live) {
    }

    /** Bytes as read, or the end of a direction: {@code data == null}, a reset if {@code reset}. */
    private record Chunk(byte[] data, long readAt, boolean reset) {
    }

    /** One direction of a connection: a reader queues chunks, a writer passes them on. */
    static final class Direction {
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        private final long closeAfter; // < 0: never
        final Recordings.Recording recording; // null: not recorded
        volatile long forwarded; // written by the writer only

        private Direction(long closeAfter, boolean recorded) {
            this.closeAfter = closeAfter;
            this.recording = recorded ? new Recordings.Recording() : null;
        }
    }

    private final Shared shared;
    private final int index;
    private final Socket client;
    private final Direction upstream; // client to server
    private final Direction downstream; // server to client
    private final AtomicInteger finishedDirections = new AtomicInteger();
    private final ReentrantLock connectionLock = new ReentrantLock();
    private final List<Thread> workers = new ArrayList<>(5); // guarded by connectionLock
    private Socket server; // guarded by connectionLock
    private boolean ended; // guarded by connectionLock

    ProxyConnection(Shared shared, int index, Socket client, Faults.ByteLimits limits, boolean recorded) {
        this.shared = shared;
        this.index = index;
        this.client = client;
        this.upstream = new Direction(limits.fromClient(), recorded);
        this.downstream = new Direction(limits.fromServer(), recorded);
    }

    /** The direction from the client ({@code fromClient}) or from the server. */
    Direction direction(boolean fromClient) {
        return fromClient ? upstream : downstream;
    }

    /** Starts the thread that connects to the server; the connection is in {@code live} by then. */
    void start() {
        connectionLock.lock();
        try {
            startWorker("connect", this::open);
        } finally {
            connectionLock.unlock();
        }
    }

    /** Connects to the server, then starts the reader and writer of each direction. */
    private void open() {
        Socket socket = new Socket();
        try {
            client.setTcpNoDelay(true);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(shared.targetHost(), shared.targetPort()), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            abort(socket);
            end(true, true);
            return;
        }
        connectionLock.lock();
        try {
            if (ended) {
                abort(socket);
                return;
            }
            server = socket;
            if (upstream.closeAfter != 0 && downstream.closeAfter != 0) {
                startWorker("client-read", () -> read(client, upstream));
                startWorker("server-write", () -> write(socket, upstream, true));
                startWorker("server-read", () -> read(socket, downstream));
                startWorker("client-write", () -> write(client, downstream, false));
                return;
            }
        } finally {
            connectionLock.unlock();
        }
        // A byte limit of 0: cut before any byte.
        end(upstream.closeAfter != 0, downstream.closeAfter != 0);
    }

    /** Under connectionLock. */
    private void startWorker(String role, Runnable task) {
        Thread thread = shared.threads().newThread(index + "-" + role, task);
        workers.add(thread);
        thread.start();
    }

    private void read(Socket from, Direction direction) {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            // Not closed by try-with-resources: that would close the socket.
            InputStream in = from.getInputStream();
            while (true) {
                int count = in.read(buffer);
                long readAt = System.nanoTime();
                if (count < 0) {
                    direction.queue.put(new Chunk(null, readAt, false));
                    return;
                }
                byte[] data = Arrays.copyOf(buffer, count);
                if (direction.recording != null) {
                    shared.recordings().append(direction.recording, data);
                }
                direction.queue.put(new Chunk(data, readAt, false));
            }
        } catch (IOException e) {
            if (!isEnded()) {
                try {
                    // A reset from one side: passed on to the other after what came before it.
                    direction.queue.put(new Chunk(null, System.nanoTime(), true));
                } catch (InterruptedException interrupted) {
                    // Ended meanwhile.
                }
            }
        } catch (InterruptedException e) {
            // Ended.
        }
    }

    private void write(Socket to, Direction direction, boolean toServer) {
        Faults faults = shared.faults();
        long nextFree = System.nanoTime();
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = direction.queue.take();
                if (chunk.data() == null) {
                    faults.awaitTurn(chunk.readAt(), nextFree);
                    if (chunk.reset()) {
                        end(true, true);
                    } else {
                        to.shutdownOutput();
                        if (finishedDirections.incrementAndGet() == 2) {
                            end(false, false);
                        }
                    }
                    return;
                }
                byte[] data = chunk.data();
                int offset = 0;
                while (offset < data.length) {
                    long now = faults.awaitTurn(chunk.readAt(), nextFree);
                    long rate = faults.bytesPerSecond();
                    int count = data.length - offset;
                    if (rate > 0) {
                        count = (int) Math.min(count, Math.max(1, rate / THROTTLE_SLICES_PER_SECOND));
                    }
                    if (direction.closeAfter >= 0) {
                        count = (int) Math.min(count, direction.closeAfter - direction.forwarded);
                    }
                    out.write(data, offset, count);
                    offset += count;
                    forwarded(direction, count);
                    if (rate > 0) {
                        long start = nextFree - now > 0 ? nextFree : now;
                        nextFree = start + count * 1_000_000_000L / rate;
                    }
                    if (direction.closeAfter >= 0 && direction.forwarded >= direction.closeAfter) {
                        // The side that got its bytes is closed in order, so none is lost.
                        end(toServer, !toServer);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            end(true, true);
        } catch (InterruptedException e) {
            // Ended.
        }
    }

    private void forwarded(Direction direction, int count) {
        direction.forwarded += count; // one writer per direction
        if (direction.recording != null) {
            shared.recordings().forwarded();
        }
    }

    private boolean isEnded() {
        connectionLock.lock();
        try {
            return ended;
        } finally {
            connectionLock.unlock();
        }
    }

    /**
     * Ends the connection: closes both sockets, each reset or in order, and stops the other
     * workers.
     *
     * @return false if it had ended already
     */
    boolean end(boolean resetClient, boolean resetServer) {
        connectionLock.lock();
        try {
            if (ended) {
                return false;
            }
            ended = true;
            close(client, resetClient);
            if (server != null) {
                close(server, resetServer);
            }
            Thread self = Thread.currentThread();
            for (Thread worker : workers) {
                if (worker != self) {
                    worker.interrupt();
                }
            }
        } finally {
            connectionLock.unlock();
        }
        shared.live().remove(this);
        return true;
    }

    private static void close(Socket socket, boolean reset) {
        if (reset) {
            abort(socket);
            return;
        }
        try {
            socket.shutdownOutput(); // a FIN after the bytes still on their way
        } catch (IOException e) {
            // Closing anyway.
        }
        closeQuietly(socket);
    }

    /** Closes {@code socket} with a reset: {@code SO_LINGER} 0. */
    static void abort(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // Closing anyway.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
