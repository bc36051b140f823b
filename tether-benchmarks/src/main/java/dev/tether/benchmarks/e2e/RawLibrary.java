package dev.tether.benchmarks.e2e;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The upper bound: MQTT 3.1.1 written by hand on a plain {@link Socket}, no library. A PUBLISH is
 * its fixed header and topic, encoded once per connection, then the payload: both copied into one
 * reused buffer and written with one {@code write} (one system call), or, above 8 KiB, header and
 * payload written one after the other, with no copy. Acknowledgements are answered as the
 * specification asks; one virtual thread per connection reads through a 16 KiB buffer, allocating
 * only the topic and the payload it delivers. No keep-alive (0), no session, no queue, no
 * validation, no retransmission: what any client must do at least.
 */
final class RawLibrary implements Library {

    @Override
    public String name() {
        return "raw socket";
    }

    @Override
    public boolean isRaw() {
        return true;
    }

    @Override
    public Connection connect(String host, int port, String clientId, int window) throws Exception {
        return new RawConnection(host, port, clientId);
    }

    private static final class RawConnection implements Connection {
        private static final int COPY_LIMIT = 8 * 1024;

        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;
        private final ReentrantLock writeLock = new ReentrantLock();
        // Made by the first QoS 1/2 publish: an idle connection holds no table of 65,536 slots.
        private volatile AtomicReferenceArray<Completion> pending;
        private final byte[] ack = new byte[4];
        private byte[] buffer = new byte[1024];
        private int nextPacketId;
        private volatile Receiver receiver;
        private volatile CompletableFuture<Void> suback;
        private final Thread reader;
        // The last topic and its encoding: encoded once, not per message.
        private String encodedTopic;
        private byte[] topicBytes;

        RawConnection(String host, int port, String clientId) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 30_000);
            out = socket.getOutputStream();
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            int remaining = 10 + 2 + id.length;
            byte[] connect = new byte[2 + remaining];
            int i = 0;
            connect[i++] = 0x10;
            connect[i++] = (byte) remaining;
            connect[i++] = 0;
            connect[i++] = 4;
            connect[i++] = 'M';
            connect[i++] = 'Q';
            connect[i++] = 'T';
            connect[i++] = 'T';
            connect[i++] = 4;    // 3.1.1
            connect[i++] = 0x02; // clean session
            connect[i++] = 0;    // keep-alive 0: off
            connect[i++] = 0;
            connect[i++] = (byte) (id.length >> 8);
            connect[i++] = (byte) id.length;
            System.arraycopy(id, 0, connect, i, id.length);
            out.write(connect);
            int type = in.readUnsignedByte();
            int length = readLength();
            byte[] connack = new byte[length];
            in.readFully(connack);
            if (type != 0x20 || connack.length < 2 || connack[1] != 0) {
                socket.close();
                throw new IOException("connection refused: CONNACK " + Integer.toHexString(type) + " code "
                        + (connack.length > 1 ? connack[1] : -1));
            }
            reader = Thread.ofVirtual().name("raw-reader-" + clientId).start(this::readLoop);
        }

        @Override
        public void subscribe(String filter, int qos, Receiver r) throws Exception {
            receiver = r;
            byte[] topic = filter.getBytes(StandardCharsets.UTF_8);
            int remaining = 2 + 2 + topic.length + 1;
            byte[] packet = new byte[2 + remaining];
            packet[0] = (byte) 0x82;
            packet[1] = (byte) remaining;
            packet[2] = 0;
            packet[3] = 1;
            packet[4] = (byte) (topic.length >> 8);
            packet[5] = (byte) topic.length;
            System.arraycopy(topic, 0, packet, 6, topic.length);
            packet[6 + topic.length] = (byte) qos;
            CompletableFuture<Void> done = new CompletableFuture<>();
            suback = done;
            writeLock.lock();
            try {
                out.write(packet);
            } finally {
                writeLock.unlock();
            }
            done.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, Completion completion) throws IOException {
            writeLock.lock();
            try {
                if (!topic.equals(encodedTopic)) {
                    encodedTopic = topic;
                    topicBytes = topic.getBytes(StandardCharsets.UTF_8);
                }
                int remaining = 2 + topicBytes.length + (qos > 0 ? 2 : 0) + payload.length;
                int headerLength = 1 + lengthOfLength(remaining) + remaining - payload.length;
                boolean copy = payload.length <= COPY_LIMIT;
                int total = copy ? headerLength + payload.length : headerLength;
                if (buffer.length < total) {
                    buffer = new byte[Math.max(total, buffer.length * 2)];
                }
                int i = 0;
                buffer[i++] = (byte) (0x30 | qos << 1);
                int value = remaining;
                do {
                    int digit = value & 0x7F;
                    value >>>= 7;
                    buffer[i++] = (byte) (value > 0 ? digit | 0x80 : digit);
                } while (value > 0);
                buffer[i++] = (byte) (topicBytes.length >> 8);
                buffer[i++] = (byte) topicBytes.length;
                System.arraycopy(topicBytes, 0, buffer, i, topicBytes.length);
                i += topicBytes.length;
                if (qos > 0) {
                    int id = nextPacketId = nextPacketId % 65_535 + 1;
                    if (pending == null) {
                        pending = new AtomicReferenceArray<>(65_536);
                    }
                    pending.set(id, completion);
                    buffer[i++] = (byte) (id >> 8);
                    buffer[i++] = (byte) id;
                }
                if (copy) {
                    System.arraycopy(payload, 0, buffer, i, payload.length);
                    out.write(buffer, 0, total);
                } else {
                    out.write(buffer, 0, headerLength);
                    out.write(payload);
                }
            } finally {
                writeLock.unlock();
            }
            if (qos == 0) {
                completion.done();
            }
        }

        private static int lengthOfLength(int remaining) {
            return remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        }

        private int readLength() throws IOException {
            int value = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                int digit = in.readUnsignedByte();
                value |= (digit & 0x7F) << shift;
                if ((digit & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException("malformed remaining length");
        }

        private void readLoop() {
            try {
                while (true) {
                    int type = in.readUnsignedByte();
                    int length = readLength();
                    switch (type >> 4) {
                        case 3 -> {
                            int qos = (type >> 1) & 3;
                            int topicLength = in.readUnsignedShort();
                            byte[] topic = new byte[topicLength];
                            in.readFully(topic);
                            int id = qos > 0 ? in.readUnsignedShort() : 0;
                            byte[] payload = new byte[length - 2 - topicLength - (qos > 0 ? 2 : 0)];
                            in.readFully(payload);
                            receiver.onMessage(new String(topic, StandardCharsets.UTF_8), ByteBuffer.wrap(payload));
                            if (qos == 1) {
                                writeAck(0x40, id);
                            } else if (qos == 2) {
                                writeAck(0x50, id);
                            }
                        }
                        case 4, 7 -> complete(in.readUnsignedShort());   // PUBACK, PUBCOMP
                        case 5 -> writeAck(0x62, in.readUnsignedShort()); // PUBREC: PUBREL
                        case 6 -> writeAck(0x70, in.readUnsignedShort()); // PUBREL: PUBCOMP
                        case 9 -> {
                            in.skipNBytes(length);
                            suback.complete(null);
                        }
                        default -> in.skipNBytes(length);
                    }
                }
            } catch (EOFException e) {
                // closed by the broker or by close()
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("raw reader: " + e);
                }
            }
        }

        private void complete(int id) {
            AtomicReferenceArray<Completion> table = pending;
            Completion completion = table == null ? null : table.getAndSet(id, null);
            if (completion != null) {
                completion.done();
            }
        }

        private void writeAck(int type, int id) throws IOException {
            writeLock.lock();
            try {
                ack[0] = (byte) type;
                ack[1] = 2;
                ack[2] = (byte) (id >> 8);
                ack[3] = (byte) id;
                out.write(ack, 0, 4);
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void close() throws Exception {
            writeLock.lock();
            try {
                out.write(new byte[] {(byte) 0xE0, 0});
            } catch (IOException e) {
                // already gone
            } finally {
                writeLock.unlock();
            }
            socket.shutdownOutput();
            reader.join(5_000);
            socket.close();
        }
    }
}
