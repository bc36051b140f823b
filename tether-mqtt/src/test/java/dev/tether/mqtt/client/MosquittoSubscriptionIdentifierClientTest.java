package dev.tether.mqtt.client;

import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MqttBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("interop")
class MosquittoSubscriptionIdentifierClientTest extends SubscriptionIdentifierBehaviour {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @Override
    MqttBroker broker() {
        return broker.broker();
    }
}
