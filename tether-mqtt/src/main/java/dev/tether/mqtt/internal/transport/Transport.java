package dev.tether.mqtt.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected byte stream to a broker, whatever carries it: TCP, TLS, WebSocket frames, a Unix
 * domain socket, through a proxy or not. MQTT reads and writes whole packets over
 * {@link #in()} and {@link #out()}; {@link #close()} ends the connection and unblocks a read.
 * Opened by {@link TransportConnector#open}.
 */
public abstract sealed class Transport implements Closeable {

    private final InputStream in;
    private final OutputStream out;

    private Transport(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** {@return what the broker sends} */
    public InputStream in() {
        return in;
    }

    /** {@return what goes to the broker; each write is sent once flushed} */
    public OutputStream out() {
        return out;
    }

    /**
     * Bounds each read: one that waits longer throws {@link SocketTimeoutException}. Zero for no
     * bound. Used while waiting for the CONNACK.
     */
    public abstract void readTimeout(Duration timeout) throws IOException;

    @Override
    public abstract void close() throws IOException;

    static Transport overSocket(Socket socket, InputStream in, OutputStream out, Runnable beforeClose) {
        return new OverSocket(socket, in, out, beforeClose);
    }

    static Transport overChannel(SocketChannel channel) {
        TimedChannel timed = new TimedChannel(channel);
        return new OverChannel(timed, timed.wrap(Channels.newInputStream(channel)), Channels.newOutputStream(channel));
    }

    private static final class OverSocket extends Transport {
        private final Socket socket;
        private final Runnable beforeClose;

        OverSocket(Socket socket, InputStream in, OutputStream out, Runnable beforeClose) {
            super(in, out);
            this.socket = socket;
            this.beforeClose = beforeClose;
        }

        @Override
        public void readTimeout(Duration timeout) throws IOException {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        }

        @Override
        public void close() throws IOException {
            if (beforeClose != null && !socket.isClosed()) {
                beforeClose.run();
            }
            socket.close();
        }
    }

    private static final class OverChannel extends Transport {
        private final TimedChannel channel;

        OverChannel(TimedChannel channel, InputStream in, OutputStream out) {
            super(in, out);
            this.channel = channel;
        }

        @Override
        public void readTimeout(Duration timeout) {
            channel.deadline(timeout);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * A channel's streams know no read timeout, so a watchdog closes the channel when the time
     * runs out and the read that then fails reports a timeout.
     */
    private static final class TimedChannel {
        private final SocketChannel channel;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private CountDownLatch cancel;

        TimedChannel(SocketChannel channel) {
            this.channel = channel;
        }

        void deadline(Duration timeout) {
            if (cancel != null) {
                cancel.countDown();
                cancel = null;
            }
            if (timeout.isZero()) {
                return;
            }
            CountDownLatch cancelled = new CountDownLatch(1);
            cancel = cancelled;
            Thread.ofVirtual().name("tether-unix-timeout").start(() -> {
                try {
                    if (!cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                        timedOut.set(true);
                        channel.close();
                    }
                } catch (InterruptedException | IOException e) {
                    // nothing to time out any more
                }
            });
        }

        void close() throws IOException {
            deadline(Duration.ZERO);
            channel.close();
        }

        InputStream wrap(InputStream in) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int count = read(one, 0, 1);
                    return count < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        return in.read(bytes, offset, length);
                    } catch (IOException e) {
                        if (timedOut.get()) {
                            throw new SocketTimeoutException("read timed out");
                        }
                        throw e;
                    }
                }
            };
        }
    }
}
