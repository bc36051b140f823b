package dev.tether.mqtt.client;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * What the behaviour tests against real brokers share: the broker a subclass supplies, clients
 * connected to it, and topics and identifiers no other test uses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BrokerBehaviour {

    /** How long a test waits for something that should happen. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a test waits to be fairly sure that something does not happen. */
    static final Duration QUIET = Duration.ofMillis(500);

    abstract MqttBroker broker();

    MqttClientBuilder builder(ProtocolVersion version) {
        return MqttClient.newBuilder().host(broker().host()).port(broker().port()).protocol(version);
    }

    /**
     * Whether the broker sends more QoS 1/2 messages than the client's Receive Maximum allows:
     * Mosquitto 2.0.11 sends two for each PUBACK once the limit is reached (its log shows
     * "Received PUBACK (Mid: 1)" followed by PUBLISH m3 and m4 while m2 is unacknowledged). Held
     * to the limit it would be disconnected, so its tests turn the check off.
     */
    boolean overrunsReceiveMaximum() {
        return broker().name().equals("mosquitto");
    }

    MqttClient connect(ProtocolVersion version) throws MqttException {
        return builder(version).connect();
    }

    /** A topic no other test uses, so tests sharing a broker do not see each other's messages. */
    static String uniqueTopic(String name) {
        return "tether-test/" + name + "/" + UUID.randomUUID();
    }

    /** A client identifier no other test uses. */
    static String uniqueIdentifier(String name) {
        return "tether-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The payloads of every message a subscription receives: the first awaited for up to
     * {@link #WAIT} (a broker's acknowledgement to the publisher does not mean it has delivered
     * yet), the rest until the subscription stays quiet for {@link #QUIET}.
     */
    static List<String> drain(Subscription subscription) throws Exception {
        return drain(subscription::receive);
    }

    /** Like {@link #drain(Subscription)}, for a stream. */
    static List<String> drain(MessageReader reader) throws Exception {
        return drain(reader::next);
    }

    /** Takes a message, or null when none came within the wait. */
    interface Receive {
        MqttMessage within(Duration wait) throws Exception;
    }

    private static List<String> drain(Receive receive) throws Exception {
        List<String> payloads = new ArrayList<>();
        MqttMessage message = receive.within(WAIT);
        while (message != null) {
            payloads.add(message.payloadAsString());
            message = receive.within(QUIET);
        }
        return payloads;
    }
}
