package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.internal.session.FileStateStore;
import dev.tether.mqtt.internal.session.MemoryStateStore;
import dev.tether.mqtt.internal.session.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

    @TempDir
    Path dir;

    @Test
    void inMemoryKeepsNothingBeyondTheClient() {
        assertInstanceOf(MemoryStateStore.class, SessionStore.inMemory().store());
    }

    @Test
    void fileGivesEachClientItsOwnStoreInTheDirectory() throws Exception {
        SessionStore sessions = SessionStore.file(dir.resolve("sessions"));
        try (StateStore first = sessions.store(); StateStore second = sessions.store()) {
            assertInstanceOf(FileStateStore.class, first);
            assertNotSame(first, second);
            first.open("client-a");
            second.open("client-b"); // one directory, two clients
        }
        assertTrue(sessions.toString().contains(dir.resolve("sessions").toString()), sessions.toString());
    }

    @Test
    void refusesWhatIsNotADirectory() throws Exception {
        NullPointerException none = assertThrows(NullPointerException.class, () -> SessionStore.file(null));
        assertTrue(none.getMessage().contains("directory"), none.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IllegalArgumentException notADirectory = assertThrows(IllegalArgumentException.class,
                () -> SessionStore.file(file, true));
        assertTrue(notADirectory.getMessage().contains(file.toString()), notADirectory.getMessage());
        assertEquals("SessionStore.inMemory()", SessionStore.inMemory().toString());
    }
}
