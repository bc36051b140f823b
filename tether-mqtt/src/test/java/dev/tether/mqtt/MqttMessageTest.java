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
    @Statement(v5 = {"MQTT-3.3.2-13", "MQTT-3.3.2-14"})
    void aResponseTopicIsATopicNameWithoutWildcards() {
        MqttMessage.Builder builder = MqttMessage.newBuilder("requests");
        assertThrows(IllegalArgumentException.class, () -> builder.responseTopic("replies/+"));
        assertThrows(IllegalArgumentException.class, () -> builder.responseTopic("replies/#"));
        assertThrows(IllegalArgumentException.class, () -> builder.responseTopic("replies/\uD800"));
        assertEquals("replies/\u00e9t\u00e9", builder.responseTopic("replies/\u00e9t\u00e9").build().responseTopic().name());
    }

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

    @Test
    void payloadWithoutCopyUsesTheCallersArray() {
        byte[] bytes = {1, 2, 3};
        MqttMessage message = MqttMessage.newBuilder("a/b").payloadWithoutCopy(bytes).build();
        assertEquals(3, message.payloadSize());
        bytes[0] = 9; // what the javadoc forbids, done here to show no copy was made
        assertEquals(9, message.payloadBuffer().get(0));
        assertArrayEquals(new byte[] {9, 2, 3}, message.payload());
        message.payload()[1] = 7;
        assertArrayEquals(new byte[] {9, 2, 3}, message.payload(), "payload() still hands out a copy");
        assertThrows(NullPointerException.class, () -> MqttMessage.newBuilder("a/b").payloadWithoutCopy(null));
    }

    @Test
    void aMessageWithoutPropertiesSharesNoListWithItsBuilder() {
        MqttMessage.Builder builder = MqttMessage.newBuilder("a/b").userProperty("k", "1");
        MqttMessage first = builder.build();
        MqttMessage second = builder.userProperty("k", "2").build();
        assertEquals(1, first.userProperties().size());
        assertEquals(2, second.userProperties().size());
        assertTrue(MqttMessage.of("a/b", "x").userProperties().isEmpty());
        assertTrue(MqttMessage.of("a/b", "x").subscriptionIdentifiers().isEmpty());
        MqttMessage tagged = MqttMessage.newBuilder("a/b").subscriptionIdentifier(3).subscriptionIdentifier(4).build();
        assertEquals(java.util.List.of(3, 4), tagged.subscriptionIdentifiers());
        assertEquals(java.util.List.of(3, 4), tagged.toBuilder().build().subscriptionIdentifiers());
    }
}
