package dev.tether.mqtt.resilience;

import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MqttBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

class HiveMqBrokerReturnTest extends BrokerReturnBehaviour {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    @Override
    MqttBroker broker() {
        return broker.broker();
    }
}
