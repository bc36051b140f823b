package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class MqttMessageTest {

    @Test
    void copiesThePayloadInAndOut() {
        byte[] bytes = {1, 2, 3};
        MqttMessage message = MqttMessage.of("a/b", bytes);
        bytes[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, message.payload());
        message.payload()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, message.payload());
    }

    @Test
    void payloadBufferIsAReadOnlyViewOfThePayload() {
        MqttMessage message = MqttMessage.of("a/b", new byte[] {1, 2, 3});
        ByteBuffer view = message.payloadBuffer();
        assertTrue(view.isReadOnly());
        assertEquals(0, view.position());
        assertEquals(3, view.remaining());
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 9));
        assertEquals(1, view.get());
        // Each call is a view of its own: reading one moves no other.
        assertEquals(0, message.payloadBuffer().position());
        assertArrayEquals(new byte[] {1, 2, 3}, message.payload());
    }
}
