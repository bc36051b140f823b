package dev.tether.mqtt.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A hand-written CONNECT and the CONNACK it gets back, independent of any MQTT client: proof that a
 * broker fixture speaks MQTT before the client under test is involved.
 *
 * <pre>{@code
 * byte[] connack = RawMqttConnect.exchange(broker.host(), broker.port(), 5, "smoke", Duration.ofSeconds(5));
 * assertEquals(0x20, connack[0] & 0xFF);
 * }</pre>
 */
public final class RawMqttConnect {

    private RawMqttConnect() {
    }

    /**
     * Connects over TCP, sends a clean-start CONNECT with keep alive 60 s, and returns the whole
     * CONNACK packet (fixed header included).
     *
     * @param protocolLevel 4 for MQTT 3.1.1, 5 for MQTT 5.0
     */
    public static byte[] exchange(String host, int port, int protocolLevel, String clientId, Duration timeout)
            throws IOException {
        if (protocolLevel != 4 && protocolLevel != 5) {
            throw new IllegalArgumentException("protocol level must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was "
                    + protocolLevel);
        }
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(connectPacket(protocolLevel, clientId));
            out.flush();
            return readPacket(socket.getInputStream());
        }
    }

    /** Formats a packet as hex bytes separated by spaces, for output and assertion messages. */
    public static String hex(byte[] packet) {
        return HexFormat.ofDelimiter(" ").formatHex(packet);
    }

    static byte[] connectPacket(int protocolLevel, String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', (byte) protocolLevel, 0x02, 0, 60});
        if (protocolLevel == 5) {
            body.write(0); // no CONNECT properties
        }
        body.write(id.length >> 8);
        body.write(id.length);
        body.writeBytes(id);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        writeVariableByteInteger(packet, body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void writeVariableByteInteger(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static byte[] readPacket(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(in.readUnsignedByte());
        int remaining = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 21) {
                throw new IOException("malformed remaining length in the broker's reply");
            }
            int digit = in.readUnsignedByte();
            packet.write(digit);
            remaining |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[remaining];
        in.readFully(body);
        packet.writeBytes(body);
        return packet.toByteArray();
    }
}
