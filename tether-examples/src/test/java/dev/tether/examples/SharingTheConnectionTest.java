package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.testkit.BrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharingTheConnectionTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void seedProgramPublishesBothReadingsThroughOneClient() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
        try {
            SharingTheConnection.main(new String[] {"--host", broker.host() + ":" + broker.port()});
        } finally {
            System.setOut(original);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Received humidity/outside = 0.38"), printed);
        assertTrue(printed.contains("Received temperature/outside = 28.3"), printed);
    }
}
