package dev.tether.mqtt.client;

import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MqttBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

class HiveMqSubscriptionIdentifierClientTest extends SubscriptionIdentifierBehaviour {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Override
    MqttBroker broker() {
        return broker.broker();
    }
}
