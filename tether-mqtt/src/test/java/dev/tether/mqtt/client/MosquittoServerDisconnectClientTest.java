package dev.tether.mqtt.client;

import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MqttBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("interop")
class MosquittoServerDisconnectClientTest extends ServerDisconnectBehaviour {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @Override
    MqttBroker broker() {
        return broker.broker();
    }

    @Override
    boolean saysSessionTakenOver() {
        // Mosquitto 2.0.11 closes the old connection without a DISCONNECT, in MQTT 5 too.
        return false;
    }
}
