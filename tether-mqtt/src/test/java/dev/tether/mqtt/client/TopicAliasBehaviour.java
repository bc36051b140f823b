package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.Backoff;
import dev.tether.mqtt.ConnectionEvent;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.FaultProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** MQTT 5 topic aliases, from client to broker and from broker to client. */
abstract class TopicAliasBehaviour extends BrokerBehaviour {

    @Test
    @Statement(v5 = {"MQTT-3.2.2-17", "MQTT-3.3.2-8", "MQTT-3.3.2-9"})
    void messagesPublishedWithTopicAliasesArriveWithTheirTopics() throws Exception {
        String base = uniqueTopic("alias-out");
        try (MqttClient subscriber = connect(ProtocolVersion.V5);
             Subscription subscription = subscriber.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            int aliases = publisher.connectResult().topicAliasMaximum();
            assertTrue(aliases > 0, "the broker accepts topic aliases, so the client uses them");
            // More topics than aliases: the first ones get an alias, set by their first PUBLISH and
            // used instead of the topic by the later ones; the rest go without
            // ([MQTT-3.2.2-17], [MQTT-3.3.2-9], never alias 0: [MQTT-3.3.2-8]).
            int topics = aliases + 3;
            for (int round = 0; round < 3; round++) {
                for (int t = 0; t < topics; t++) {
                    publisher.publish(base + "/" + t, round + ":" + t, Qos.AT_LEAST_ONCE);
                }
            }
            for (int round = 0; round < 3; round++) {
                for (int t = 0; t < topics; t++) {
                    MqttMessage message = subscription.receive(WAIT);
                    assertNotNull(message, "message " + round + ":" + t);
                    assertEquals(base + "/" + t, message.topic().name());
                    assertEquals(round + ":" + t, message.payloadAsString());
                }
            }
            assertNull(subscription.receive(QUIET));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void messagesArriveWithTheirTopicsWhateverAliasesTheBrokerUses(int aliasMaximum) throws Exception {
        // Whether a broker sends topic aliases to the client is its choice (HiveMQ CE and
        // Mosquitto 2.0.11 are not known to); either way the topics must come out right.
        // AliasingBrokerClientTest has a fake broker that does.
        String base = uniqueTopic("alias-in");
        try (MqttClient subscriber = builder(ProtocolVersion.V5).topicAliasMaximum(aliasMaximum).connect();
             Subscription subscription = subscriber.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
             MqttClient publisher = connect(ProtocolVersion.V5)) {
            for (int i = 0; i < 40; i++) {
                publisher.publish(base + "/" + i % 2, "m" + i, Qos.AT_LEAST_ONCE);
            }
            for (int i = 0; i < 40; i++) {
                MqttMessage message = subscription.receive(WAIT);
                assertNotNull(message, "message " + i);
                assertEquals(base + "/" + i % 2, message.topic().name());
                assertEquals("m" + i, message.payloadAsString());
            }
        }
    }

    @Test
    @Statement(v5 = "MQTT-3.3.2-7")
    void aliasesStartAfreshOnEveryNewConnection() throws Exception {
        String topic = uniqueTopic("alias-reconnect");
        CountDownLatch reconnected = new CountDownLatch(1);
        try (FaultProxy proxy = FaultProxy.start(broker().host(), broker().port()).record(true);
             MqttClient subscriber = connect(ProtocolVersion.V5);
             Subscription subscription = subscriber.subscribe(topic, Qos.AT_LEAST_ONCE);
             MqttClient publisher = builder(ProtocolVersion.V5).host(proxy.host()).port(proxy.port())
                     .reconnect(Backoff.fixed(Duration.ofMillis(10)))
                     .connectionListener(event -> {
                         if (event instanceof ConnectionEvent.Connected c && c.reconnect()) {
                             reconnected.countDown();
                         }
                     }).connect()) {
            assertTrue(publisher.connectResult().topicAliasMaximum() > 0, "the broker accepts topic aliases");
            assertNull(subscription.poll()); // being consumed before the messages come
            publisher.publish(topic, "sets the alias", Qos.AT_LEAST_ONCE);
            publisher.publish(topic, "uses the alias", Qos.AT_LEAST_ONCE);
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            assertEquals(1, occurrences(proxy.clientBytes(0), name), "the topic went out once, then its alias");

            proxy.cutAll();
            assertTrue(reconnected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "reconnected");
            publisher.publish(topic, "after the reconnect", Qos.AT_LEAST_ONCE);
            // The alias died with the connection: the new one names the topic again (a broker
            // would disconnect a client that used an alias it never set on this connection).
            assertEquals(1, occurrences(proxy.clientBytes(1), name), "the topic went out again on the new connection");
            assertEquals(List.of("sets the alias", "uses the alias", "after the reconnect"), drain(subscription));
        }
    }

    private static int occurrences(byte[] bytes, byte[] part) {
        int count = 0;
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                count++;
            }
        }
        return count;
    }
}
