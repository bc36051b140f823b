package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** MQTT 5 limits the client sets for the broker: receive maximum and maximum packet size. */
abstract class FlowControlBehaviour extends BrokerBehaviour {

    @ParameterizedTest
    @EnumSource(value = Qos.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void aSlowConsumerWithASmallReceiveMaximumStillGetsEverything(Qos qos) throws Exception {
        String topic = uniqueTopic("receive-maximum");
        int count = 50;
        try (MqttClient subscriber = builder(ProtocolVersion.V5).receiveMaximum(2)
                .enforceReceiveMaximum(!overrunsReceiveMaximum()).connect();
             Subscription subscription = subscriber.subscribe(topic, qos);
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            for (int i = 0; i < count; i++) {
                publisher.publish(topic, "m" + i, qos);
            }
            // Nothing was taken yet, so nothing was acknowledged: the broker may have sent only 2
            // (server statement [MQTT-3.3.4-9]) and holds back the rest until the client
            // acknowledges, which it does as each message is taken. None is lost or stuck.
            for (int i = 0; i < count; i++) {
                MqttMessage message = subscription.receive(WAIT);
                assertNotNull(message, "message " + i);
                assertEquals("m" + i, message.payloadAsString());
            }
            assertNull(subscription.receive(QUIET));
        }
    }

    @Test
    void theBrokerSendsNothingLargerThanTheClientsMaximumPacketSize() throws Exception {
        String topic = uniqueTopic("maximum-packet-size");
        try (MqttClient subscriber = builder(ProtocolVersion.V5).maximumPacketSize(1024).connect();
             Subscription subscription = subscriber.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            publisher.publish(topic, new byte[2048], Qos.AT_LEAST_ONCE);
            publisher.publish(topic, "small", Qos.AT_LEAST_ONCE);
            // The client announced its maximum in CONNECT; the broker drops what is larger for it
            // (server statement [MQTT-3.1.2-24]) and the connection carries on.
            assertEquals("small", subscription.receive(WAIT).payloadAsString());
            assertNull(subscription.receive(QUIET));
        }
    }
}
