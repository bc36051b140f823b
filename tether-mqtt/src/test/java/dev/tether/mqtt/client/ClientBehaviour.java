package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Statement;
import dev.tether.mqtt.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the client does against a real broker, for both protocol versions. Each broker gets a
 * subclass that supplies it: embedded HiveMQ CE in the default build, Mosquitto in the interop profile.
 */
abstract class ClientBehaviour extends BrokerBehaviour {

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void seedProgramPublishesThroughASharedClient(ProtocolVersion version) throws Exception {
        String base = uniqueTopic("seed");
        try (MqttClient subscriber = connect(version);
             Subscription readings = subscriber.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
             MqttClient client = connect(version)) {
            client.publish(base + "/humidity/outside", 0.38);
            client.publish(base + "/temperature/outside", 28.3);

            MqttMessage humidity = readings.receive(WAIT);
            MqttMessage temperature = readings.receive(WAIT);
            assertEquals("0.38", humidity.payloadAsString());
            assertEquals("28.3", temperature.payloadAsString());
            assertTrue(temperature.topic().matches(base + "/+/outside"));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = {"MQTT-7.0.0-2", "MQTT-7.1.2-1"}, v5 = "MQTT-4.2-1")
    void publishesAndReceivesAtEveryQos(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("qos");
        try (MqttClient client = connect(version);
             Subscription subscription = client.subscribe(topic, Qos.EXACTLY_ONCE)) {
            assertEquals(List.of(Qos.EXACTLY_ONCE), subscription.result().grantedQos());
            for (Qos qos : Qos.values()) {
                PublishResult result = client.publish(topic, ("at " + qos).getBytes(StandardCharsets.UTF_8), qos);
                assertFalse(result.reasonCode().isError());
                MqttMessage received = subscription.receive(WAIT);
                assertNotNull(received, "message at " + qos);
                assertEquals("at " + qos, received.payloadAsString());
                assertEquals(qos, received.qos()); // [MQTT-3.8.4-8]: min(published, granted)
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void retainedMessageIsSetReceivedOnSubscribeAndCleared(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("retained");
        try (MqttClient client = connect(version)) {
            client.publish(topic, "kept", Qos.AT_LEAST_ONCE, true);
            try (Subscription first = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
                MqttMessage retained = first.receive(WAIT);
                assertEquals("kept", retained.payloadAsString());
                assertTrue(retained.isRetain()); // [MQTT-3.3.1-9]
            }
            client.publish(topic, new byte[0], Qos.AT_LEAST_ONCE, true); // an empty retained message clears it
            try (Subscription second = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
                assertNull(second.receive(Duration.ofMillis(500)), "the retained message was cleared");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void clientMessagesSeesEveryMessageOnce(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("all");
        try (MqttClient client = connect(version)) {
            Iterable<MqttMessage> all = client.messages();
            try (Subscription subscription = client.subscribe(topic + "/#", Qos.AT_LEAST_ONCE)) {
                // Both streams are being consumed before the messages come: each gets every one.
                var iterator = all.iterator();
                assertNull(subscription.poll());
                for (int i = 0; i < 5; i++) {
                    client.publish(topic + "/" + i, "m" + i, Qos.AT_LEAST_ONCE);
                }
                // Taken from both in turn: a message is acknowledged once both gave it out, and a
                // broker may send no more until it is.
                List<String> fromAll = new ArrayList<>();
                List<String> fromSubscription = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    fromAll.add(iterator.next().payloadAsString());
                    fromSubscription.add(subscription.receive(WAIT).payloadAsString());
                }
                assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), fromAll);
                assertEquals(fromAll, fromSubscription);
                assertNull(subscription.poll(), "each message once per stream");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void dollarTopicsAreNotMatchedByHash(ProtocolVersion version) throws Exception {
        try (MqttClient client = connect(version);
             Subscription everything = client.subscribe("#", Qos.AT_MOST_ONCE)) {
            // Brokers publish $SYS topics; none may reach a "#" subscription [MQTT-4.7.2-1].
            String topic = uniqueTopic("dollar");
            client.publish(topic, "visible");
            MqttMessage message;
            while ((message = everything.receive(WAIT)) != null && !message.topic().name().equals(topic)) {
                assertFalse(message.topic().name().startsWith("$"), message.topic().name());
            }
            assertNotNull(message, "the ordinary message arrived");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void closingASubscriptionUnsubscribes(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("unsubscribe");
        try (MqttClient client = connect(version)) {
            Iterable<MqttMessage> all = client.messages();
            Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE);
            subscription.close();
            assertNull(subscription.poll(), "a closed subscription buffers nothing");
            client.publish(topic, "after", Qos.AT_LEAST_ONCE);
            client.publish(uniqueTopic("other"), "unrelated", Qos.AT_MOST_ONCE);
            // Nothing of the unsubscribed topic arrives: the stream of all messages stays empty.
            var iterator = all.iterator();
            CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(iterator::hasNext);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> next.get(500, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Timeout(value = 300, unit = TimeUnit.SECONDS) // 100,000 QoS 1 messages both ways: far longer than 60 s on a loaded machine
    void thousandVirtualThreadsShareOneClient(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("shared");
        int threads = 1000;
        int perThread = 100;
        try (MqttClient client = MqttClient.newBuilder().host(broker().host()).port(broker().port())
                .protocol(version).maxQueuedIncoming(threads * perThread).connect();
             Subscription subscription = client.subscribe(topic + "/#", Qos.AT_LEAST_ONCE)) {
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> publishers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    publishers.add(executor.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            client.publish(topic + "/" + thread, thread + ":" + i, Qos.AT_LEAST_ONCE);
                        }
                        return null;
                    }));
                }
                int[] nextPerThread = new int[threads];
                for (int n = 0; n < threads * perThread; n++) {
                    MqttMessage message = subscription.receive(WAIT);
                    assertNotNull(message, "message " + n + " of " + threads * perThread);
                    String[] parts = message.payloadAsString().split(":");
                    int thread = Integer.parseInt(parts[0]);
                    // Each publisher's messages arrive in the order it sent them, none lost, none twice.
                    assertEquals(nextPerThread[thread]++, Integer.parseInt(parts[1]), "order of publisher " + thread);
                }
                for (var publisher : publishers) {
                    publisher.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                assertNull(subscription.receive(Duration.ofMillis(200)), "no duplicates");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void messagesQueuedForAPersistentSessionWaitUnacknowledgedUntilASubscriptionClaimsThem(ProtocolVersion version)
            throws Exception {
        String topic = uniqueTopic("persistent");
        String identifier = "tether-persistent-" + UUID.randomUUID().toString().substring(0, 8);
        MqttClient first = persistentClient(version, identifier);
        first.subscribe(topic, Qos.AT_LEAST_ONCE); // not closed: that would unsubscribe
        first.close();

        try (MqttClient publisher = connect(version)) {
            for (int i = 0; i < 3; i++) {
                publisher.publish(topic, "offline-" + i, Qos.AT_LEAST_ONCE);
            }
        }

        try (MqttClient resumed = persistentClient(version, identifier)) {
            assertTrue(resumed.connectResult().sessionPresent(), "the broker kept the session"); // [MQTT-3.2.2-2]
            // The broker sends the queued messages right after CONNACK, before any stream exists;
            // the client holds them unacknowledged until this subscription claims them.
            try (Subscription again = resumed.subscribe(topic, Qos.AT_LEAST_ONCE)) {
                for (int i = 0; i < 3; i++) {
                    MqttMessage message = again.receive(WAIT);
                    assertNotNull(message, "queued message " + i);
                    assertEquals("offline-" + i, message.payloadAsString());
                }
            }
        }
    }

    private MqttClient persistentClient(ProtocolVersion version, String identifier) throws MqttException {
        var builder = MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version)
                .identifier(identifier).cleanStart(false);
        if (version == ProtocolVersion.V5) {
            builder.sessionExpiry(Duration.ofMinutes(5)); // [MQTT-3.1.2-23]
        }
        return builder.connect();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void closedClientRefusesEveryCall(ProtocolVersion version) throws Exception {
        MqttClient client = connect(version);
        client.close();
        client.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.publish("a", "b"));
        assertEquals("client is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> client.subscribe("a"));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void payloadsKeepTheirBytes(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("bytes");
        byte[] payload = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(payload);
        try (MqttClient client = connect(version);
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            client.publish(topic, payload, Qos.AT_LEAST_ONCE);
            client.publish(topic, new byte[0], Qos.AT_LEAST_ONCE);
            assertArrayEquals(payload, subscription.receive(WAIT).payload());
            assertEquals(0, subscription.receive(WAIT).payloadSize());
        }
    }

    /**
     * The blocking publish does not copy the array, and needs not: the client is done with it
     * when the call returns, so an array reused for the next message never changes one sent
     * before. The asynchronous one copies, since it returns first.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void anArrayReusedAfterEachPublishChangesNoMessageSentBefore(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("reused");
        byte[] buffer = new byte[16];
        try (MqttClient client = connect(version);
             Subscription subscription = client.subscribe(topic, Qos.EXACTLY_ONCE)) {
            for (Qos qos : Qos.values()) {
                java.util.Arrays.fill(buffer, (byte) ('a' + qos.code()));
                client.publish(topic, buffer, qos);
            }
            java.util.Arrays.fill(buffer, (byte) 'x');
            java.util.concurrent.CompletableFuture<?> async = client.publishAsync(topic, buffer, Qos.AT_LEAST_ONCE);
            java.util.Arrays.fill(buffer, (byte) 'y'); // before the flow is done: the copy went out
            async.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            // A broker keeps the order of one QoS only (HiveMQ CE may pass a QoS 0 message later).
            java.util.Set<String> received = new java.util.TreeSet<>();
            for (int i = 0; i < 4; i++) {
                received.add(subscription.receive(WAIT).payloadAsString());
            }
            assertEquals(java.util.Set.of("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "xxxxxxxxxxxxxxxx"), received);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    @Statement(v311 = "MQTT-3.3.2-2", v5 = "MQTT-3.3.2-2")
    void publishingToAnInvalidTopicFailsFastNamingTheRule(ProtocolVersion version) throws Exception {
        try (MqttClient client = connect(version)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.publish("a/+", "x"));
            assertTrue(e.getMessage().contains("wildcard"), e.getMessage());
            assertEquals(ReasonCode.SUCCESS, client.publish(uniqueTopic("still-usable"), "x").reasonCode());
        }
    }
}
