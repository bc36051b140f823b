package dev.tether.mqtt.testkit;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedHiveMqSmokeTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Test
    void acceptsAnMqtt311Connect() throws IOException {
        ConnackAssertions.assertConnectAccepted(broker.broker(), 4);
    }

    @Test
    void acceptsAnMqtt5Connect() throws IOException {
        ConnackAssertions.assertConnectAccepted(broker.broker(), 5);
    }
}
