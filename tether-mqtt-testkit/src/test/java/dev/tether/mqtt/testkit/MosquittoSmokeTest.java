package dev.tether.mqtt.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("interop")
class MosquittoSmokeTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @Test
    void acceptsAnMqtt311Connect() throws IOException {
        ConnackAssertions.assertConnectAccepted(broker.broker(), 4);
    }

    @Test
    void acceptsAnMqtt5Connect() throws IOException {
        ConnackAssertions.assertConnectAccepted(broker.broker(), 5);
    }

    @Test
    void capturesTheBrokerLog() {
        assertTrue(broker.broker().log().contains("mosquitto version"), broker.broker().log());
    }

    @Test
    void stopsTheProcessByItsPid() {
        MosquittoBroker own = MosquittoBroker.start();
        ProcessHandle process = ProcessHandle.of(own.pid()).orElseThrow();
        own.close();
        assertFalse(process.isAlive(), "mosquitto process " + own.pid() + " still alive after close");
    }
}
