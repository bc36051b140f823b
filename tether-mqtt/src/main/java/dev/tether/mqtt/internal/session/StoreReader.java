package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a {@link StoreFormat} file from the start and replays its records into a
 * {@link LiveState}. What a kill can leave behind — a last record cut short, or one whose
 * checksum fails because its bytes never all reached the file — is reported as a torn tail and
 * left out. Anything else that is wrong (another magic or version, a damaged header, a damaged
 * record with more records after it) is an error that names the file and the offset: a store
 * never starts over silently, since that would lose messages the application was told were sent.
 */
final class StoreReader {

    /** Where the valid records end, and why bytes after that were left out (null if none were). */
    record Result(long end, String tornTail) {
    }

    private final Path path;
    private final InputStream in;
    private final long size;
    private long position;

    private StoreReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.size = channel.size();
        this.in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16);
    }

    /**
     * Replays the file into {@code state}.
     *
     * @throws MqttException if the file is not a store of {@code clientIdentifier} or is damaged
     *     before its last record
     * @throws IOException if reading fails
     */
    static Result replay(Path path, FileChannel channel, String clientIdentifier, LiveState state) throws IOException {
        StoreReader reader = new StoreReader(path, channel);
        reader.readHeader(clientIdentifier);
        return reader.readRecords(state);
    }

    private void readHeader(String clientIdentifier) throws IOException {
        if (!Arrays.equals(read(Math.min(StoreFormat.MAGIC.length, size)), StoreFormat.MAGIC)) {
            throw corrupt(size < StoreFormat.MAGIC.length
                    ? "it is only " + size + " bytes long, too short for a header"
                    : "it is not a Tether session store (it does not start with the bytes \"TETHERSS\")");
        }
        ByteBuffer fixed = ByteBuffer.wrap(read(Math.min(4, size - position)));
        if (fixed.capacity() < 4) {
            throw corrupt("its header is cut short: the file is only " + size + " bytes long");
        }
        int version = fixed.getShort(0) & 0xFFFF;
        if (version != StoreFormat.VERSION) {
            throw corrupt("it has format version " + version + ", and this version of Tether reads only version "
                    + StoreFormat.VERSION + (version > StoreFormat.VERSION ? " (written by a newer Tether?)" : ""));
        }
        int identifierLength = fixed.getShort(2) & 0xFFFF;
        byte[] rest = read(Math.min(identifierLength + 4L, size - position));
        if (rest.length < identifierLength + 4) {
            throw corrupt("its header is cut short: the file is only " + size + " bytes long");
        }
        ByteBuffer header = ByteBuffer.allocate(StoreFormat.MAGIC.length + 4 + rest.length);
        header.put(StoreFormat.MAGIC).put(fixed.array()).put(rest);
        if (header.getInt(header.capacity() - 4) != StoreFormat.crc(header.array(), 0, header.capacity() - 4)) {
            throw corrupt("its header is damaged (checksum mismatch)");
        }
        if (!Arrays.equals(header.array(), StoreFormat.header(clientIdentifier))) {
            String owner = new String(rest, 0, identifierLength, StandardCharsets.UTF_8);
            throw corrupt("it holds the session of client identifier '" + owner + "', not '" + clientIdentifier + "'");
        }
    }

    private Result readRecords(LiveState state) throws IOException {
        while (position < size) {
            long start = position;
            long remaining = size - start;
            if (remaining < StoreFormat.RECORD_HEADER_SIZE) {
                return torn(start, "a record header cut short (" + remaining + " of "
                        + StoreFormat.RECORD_HEADER_SIZE + " bytes)");
            }
            ByteBuffer header = ByteBuffer.wrap(read(StoreFormat.RECORD_HEADER_SIZE));
            int length = header.getInt(0);
            if (header.getInt(4) != StoreFormat.crc(header.array(), 0, 4)
                    || length < StoreFormat.BODY_PREFIX_SIZE || length > StoreFormat.MAXIMUM_BODY_SIZE) {
                if (restIsZero(header.array())) {
                    return torn(start, "zero bytes where a record should be, as a crash can leave at the end");
                }
                throw corrupt(start, "its length field is damaged");
            }
            if (length > size - position) {
                return torn(start, "a record cut short (" + (size - position) + " of " + length + " body bytes)");
            }
            byte[] body = read(length);
            if (header.getInt(8) != StoreFormat.crc(body, 0, length)) {
                if (position == size) {
                    return torn(start, "a last record whose checksum does not match");
                }
                throw corrupt(start, "it fails its checksum");
            }
            check(start, body);
            state.apply(body);
        }
        return new Result(size, null);
    }

    /** A record that passed its checksum but makes no sense was written wrongly: not a torn write. */
    private void check(long start, byte[] body) throws MqttException {
        byte kind = body[0];
        if (kind < StoreFormat.SENT || kind > StoreFormat.INCOMING_RELEASED) {
            throw corrupt(start, "it is of unknown kind " + kind);
        }
        if (kind != StoreFormat.SENT && body.length != StoreFormat.BODY_PREFIX_SIZE) {
            throw corrupt(start, "it is " + body.length + " bytes long, not " + StoreFormat.BODY_PREFIX_SIZE);
        }
        if (kind == StoreFormat.SENT && body.length == StoreFormat.BODY_PREFIX_SIZE) {
            throw corrupt(start, "it has no PUBLISH");
        }
        int packetId = StoreFormat.packetId(body);
        if (packetId == 0) {
            throw corrupt(start, "it has packet identifier 0");
        }
    }

    private Result torn(long start, String what) {
        return new Result(start, what + " at offset " + start);
    }

    /** Whether the record header just read and every byte after it are zero. */
    private boolean restIsZero(byte[] header) throws IOException {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private byte[] read(long count) throws IOException {
        byte[] bytes = in.readNBytes((int) count);
        position += bytes.length;
        return bytes;
    }

    private MqttException corrupt(long offset, String what) {
        return corrupt("the record at offset " + offset + " is damaged: " + what
                + "; records after it would be lost, so the file is left as it is");
    }

    private MqttException corrupt(String what) {
        return new MqttException(ReasonCode.UNSPECIFIED_ERROR, "session store " + path + " cannot be read: " + what);
    }
}
