package dev.tether.mqtt.internal.session;

import dev.tether.mqtt.Statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PacketIdentifiersTest {

    @Test
    @Statement(v311 = {"MQTT-2.3.1-1", "MQTT-2.3.1-2"}, v5 = "MQTT-2.2.1-3")
    void neverHandsOutAnIdentifierThatIsInUse() { // [MQTT-2.2.1-3]
        PacketIdentifiers ids = new PacketIdentifiers();
        Set<Integer> inUse = new HashSet<>();
        for (int i = 0; i < 65_535; i++) {
            int id = ids.acquire();
            assertTrue(id >= 1 && id <= 65_535, "identifier " + id);
            assertTrue(inUse.add(id), "identifier " + id + " handed out twice");
        }
        assertThrows(IllegalStateException.class, ids::acquire);
        ids.release(40_000);
        assertEquals(40_000, ids.acquire(), "the only free identifier");
    }

    @Test
    void doesNotReuseAJustReleasedIdentifierAtOnce() {
        PacketIdentifiers ids = new PacketIdentifiers();
        int first = ids.acquire();
        ids.release(first);
        assertNotEquals(first, ids.acquire());
    }
}
