package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UnsubscribeResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** MQTT 5 subscription options: No Local, Retain As Published, Retain Handling. */
abstract class SubscribeOptionsBehaviour extends BrokerBehaviour {

    static SubscribeRequest request(String filter, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return SubscribeRequest.newBuilder().filter(filter, Qos.AT_LEAST_ONCE, noLocal, retainAsPublished, retainHandling)
                .build();
    }

    @Test
    void noLocalLeavesOutTheClientsOwnMessages() throws Exception {
        String topic = uniqueTopic("no-local");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription others = client.subscribe(request(topic, true, false, SubscribeRequest.RETAIN_ON_SUBSCRIBE));
             MqttClient other = connect(ProtocolVersion.V5)) {
            client.publish(topic, "mine", Qos.AT_LEAST_ONCE);
            other.publish(topic, "theirs", Qos.AT_LEAST_ONCE);
            // Server statement [MQTT-3.8.3-3]: not forwarded to the connection that published it.
            assertEquals("theirs", others.receive(WAIT).payloadAsString());
            assertNull(others.receive(QUIET));
        }
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfForwardedMessages() throws Exception {
        String topic = uniqueTopic("retain-as-published");
        try (MqttClient client = connect(ProtocolVersion.V5);
             Subscription asPublished = client.subscribe(request(topic, false, true, SubscribeRequest.RETAIN_NEVER));
             MqttClient other = connect(ProtocolVersion.V5);
             Subscription cleared = other.subscribe(request(topic, false, false, SubscribeRequest.RETAIN_NEVER))) {
            client.publish(topic, "kept", Qos.AT_LEAST_ONCE, true);
            // Server statements [MQTT-3.3.1-12] and [MQTT-3.3.1-13].
            MqttMessage withFlag = asPublished.receive(WAIT);
            MqttMessage withoutFlag = cleared.receive(WAIT);
            assertNotNull(withFlag);
            assertNotNull(withoutFlag);
            assertTrue(withFlag.isRetain(), "Retain As Published keeps the flag");
            assertFalse(withoutFlag.isRetain(), "otherwise a forwarded message has it cleared");
            client.publish(topic, new byte[0], Qos.AT_LEAST_ONCE, true);
        }
    }

    @Test
    void retainHandlingDecidesWhenRetainedMessagesAreSent() throws Exception {
        String topic = uniqueTopic("retain-handling");
        try (MqttClient publisher = connect(ProtocolVersion.V5);
             MqttClient client = connect(ProtocolVersion.V5)) {
            publisher.publish(topic, "retained", Qos.AT_LEAST_ONCE, true);

            try (Subscription never = client.subscribe(request(topic, false, false, SubscribeRequest.RETAIN_NEVER))) {
                assertNull(never.receive(QUIET), "Retain Handling 2: none at subscribe time");
            }
            try (Subscription always = client.subscribe(request(topic, false, false, SubscribeRequest.RETAIN_ON_SUBSCRIBE))) {
                assertEquals("retained", always.receive(WAIT).payloadAsString(), "Retain Handling 0");
            }
            try (Subscription first = client.subscribe(request(topic, false, false,
                    SubscribeRequest.RETAIN_ON_NEW_SUBSCRIPTION))) {
                assertEquals("retained", first.receive(WAIT).payloadAsString(), "Retain Handling 1, a new subscription");
                try (Subscription second = client.subscribe(request(topic, false, false,
                        SubscribeRequest.RETAIN_ON_NEW_SUBSCRIPTION))) {
                    assertNull(second.receive(QUIET), "Retain Handling 1, the subscription existed");
                    assertNull(first.poll());
                }
            }
            publisher.publish(topic, new byte[0], Qos.AT_LEAST_ONCE, true);
        }
    }

    @Test
    void optionsOtherThanQosNeedMqtt5() throws Exception {
        try (MqttClient client = connect(ProtocolVersion.V3_1_1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.subscribe(request(uniqueTopic("options"), true, false, SubscribeRequest.RETAIN_ON_SUBSCRIBE)));
            assertTrue(e.getMessage().contains("MQTT 5"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void unsubscribeTellsForEachFilterWhetherTheBrokerHadASubscription(ProtocolVersion version) throws Exception {
        String subscribed = uniqueTopic("unsubscribe");
        String never = uniqueTopic("never-subscribed");
        try (MqttClient client = connect(version)) {
            client.subscribe(subscribed, Qos.AT_LEAST_ONCE);
            UnsubscribeResult result = client.unsubscribe(subscribed, never);
            // MQTT 3.1.1's UNSUBACK has no reason codes: both count as done. In MQTT 5 Mosquitto
            // says No subscription existed (0x11); HiveMQ CE says Success for every filter, which
            // the specification allows (3.11.3: the server "may" use 0x11).
            ReasonCode absent = version == ProtocolVersion.V5 && broker().name().equals("mosquitto")
                    ? ReasonCode.NO_SUBSCRIPTION_EXISTED : ReasonCode.SUCCESS;
            assertEquals(List.of(ReasonCode.SUCCESS, absent), result.reasonCodes());
        }
    }
}
