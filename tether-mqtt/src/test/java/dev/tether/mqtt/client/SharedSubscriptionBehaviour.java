package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared subscriptions ({@code $share/{group}/{filter}}): each message goes to one member of the
 * group. Part of MQTT 5; both brokers accept them from 3.1.1 clients too.
 */
abstract class SharedSubscriptionBehaviour extends BrokerBehaviour {

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void eachMessageGoesToExactlyOneMemberOfTheGroup(ProtocolVersion version) throws Exception {
        String topic = uniqueTopic("shared");
        String shared = "$share/group-" + UUID.randomUUID().toString().substring(0, 8) + "/" + topic;
        int count = 20;
        try (MqttClient a = connect(version);
             Subscription first = a.subscribe(shared, Qos.AT_LEAST_ONCE);
             MqttClient b = connect(version);
             Subscription second = b.subscribe(shared, Qos.AT_LEAST_ONCE);
             MqttClient publisher = connect(version)) {
            for (int i = 0; i < count; i++) {
                publisher.publish(topic, "job " + i, Qos.AT_LEAST_ONCE);
            }
            // A PUBACK to the publisher does not mean a member has the message yet: take from both
            // until every message arrived somewhere (or the wait is over), then look for extra copies.
            List<String> toFirst = new ArrayList<>();
            List<String> toSecond = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (toFirst.size() + toSecond.size() < count && System.nanoTime() < deadline) {
                takeFor(first, TAKE, toFirst);
                takeFor(second, TAKE, toSecond);
            }
            takeFor(first, QUIET, toFirst);
            takeFor(second, QUIET, toSecond);
            Set<String> both = new HashSet<>(toFirst);
            both.retainAll(toSecond);
            assertEquals(Set.of(), both, "no message went to both");
            Set<String> all = new HashSet<>(toFirst);
            all.addAll(toSecond);
            assertEquals(count, all.size(), "every message went to one of them: " + toFirst + " " + toSecond);
            assertEquals(count, toFirst.size() + toSecond.size(), "each once");
        }
    }

    private static final Duration TAKE = Duration.ofMillis(50);

    /** Adds the payloads a subscription gives until it stays quiet for {@code quiet}. */
    private static void takeFor(Subscription subscription, Duration quiet, List<String> payloads) throws Exception {
        MqttMessage message;
        while ((message = subscription.receive(quiet)) != null) {
            payloads.add(message.payloadAsString());
        }
    }
}
