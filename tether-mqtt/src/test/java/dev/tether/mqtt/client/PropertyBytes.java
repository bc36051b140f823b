package dev.tether.mqtt.client;

import java.io.ByteArrayOutputStream;

/** MQTT 5 properties written one by one, for the CONNACK, SUBACK or DISCONNECT a fake broker sends. */
final class PropertyBytes {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    PropertyBytes string(int id, String value) {
        bytes.write(id);
        bytes.writeBytes(FakeBroker.string(value));
        return this;
    }

    PropertyBytes pair(int id, String name, String value) {
        return string(id, name).raw(FakeBroker.string(value));
    }

    PropertyBytes twoBytes(int id, int value) {
        bytes.write(id);
        return raw(new byte[] {(byte) (value >> 8), (byte) value});
    }

    PropertyBytes fourBytes(int id, long value) {
        bytes.write(id);
        return raw(new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
    }

    PropertyBytes oneByte(int id, int value) {
        bytes.write(id);
        bytes.write(value);
        return this;
    }

    private PropertyBytes raw(byte[] raw) {
        bytes.writeBytes(raw);
        return this;
    }

    /** A DISCONNECT with {@code code} and these properties; their length must stay below 128 bytes. */
    byte[] disconnect(int code) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(code);
        body.write(bytes.size());
        body.writeBytes(bytes.toByteArray());
        return FakeBroker.packet(0xE0, body.toByteArray());
    }

    /** An MQTT 5 SUBACK with these properties and one reason code per filter; the properties stay below 128 bytes. */
    byte[] suback(int packetId, int... codes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        body.write(bytes.size());
        body.writeBytes(bytes.toByteArray());
        for (int code : codes) {
            body.write(code);
        }
        return FakeBroker.packet(0x90, body.toByteArray());
    }

    /** A CONNACK with these properties; their length must stay below 128 bytes. */
    byte[] connack(boolean sessionPresent, int code) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(sessionPresent ? 1 : 0);
        body.write(code);
        body.write(bytes.size());
        body.writeBytes(bytes.toByteArray());
        return FakeBroker.packet(0x20, body.toByteArray());
    }
}
