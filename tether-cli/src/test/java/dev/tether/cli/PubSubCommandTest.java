package dev.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PubSubCommandTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static String topic() {
        return "cli/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String[] at(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = args[0];
        all[1] = "-h";
        all[2] = broker.host();
        all[3] = "-p";
        System.arraycopy(args, 1, all, 5, args.length - 1);
        all[4] = Integer.toString(broker.port());
        return all;
    }

    /** Starts {@code sub} with the arguments and waits until it has subscribed. */
    private static Cli.Background subscribed(String... args) throws InterruptedException {
        String[] debug = new String[args.length + 1];
        System.arraycopy(args, 0, debug, 0, args.length);
        debug[args.length] = "-d";
        Cli.Background sub = new Cli.Background(at(debug));
        sub.awaitErr("subscribed to");
        return sub;
    }

    @Test
    void subPrintsTopicAndPayloadOfWhatPubSends() throws Exception {
        String topic = topic();
        Cli.Background sub = subscribed("sub", "-t", topic, "-C", "1", "-v");

        Cli.Result pub = Cli.run(at("pub", "-t", topic, "-m", "hello world"));

        assertEquals(0, pub.exitCode(), pub::toString);
        Cli.Result received = sub.result();
        assertEquals(0, received.exitCode(), received::toString);
        assertEquals(topic + " hello world" + System.lineSeparator(), received.out());
    }

    @Test
    void pubDashLSendsEachLineOfStandardInputAsAMessage() throws Exception {
        String topic = topic();
        Cli.Background sub = subscribed("sub", "-t", topic, "-C", "3", "-q", "1");

        Cli.Result pub = Cli.runWithStdin("first\nsecond line\nthird\n", at("pub", "-t", topic, "-l", "-q", "1"));

        assertEquals(0, pub.exitCode(), pub::toString);
        String n = System.lineSeparator();
        assertEquals("first" + n + "second line" + n + "third" + n, sub.result().out());
    }

    @Test
    void subTakesSeveralTopicsAndPrintsWithoutNewlines() throws Exception {
        String a = topic();
        String b = topic();
        Cli.Background sub = subscribed("sub", "-t", a, "-t", b, "-C", "2", "-N", "-V", "mqttv311");

        assertEquals(0, Cli.run(at("pub", "-t", a, "-m", "x", "-q", "1")).exitCode());
        assertEquals(0, Cli.run(at("pub", "-t", b, "-m", "y", "-q", "1", "-V", "mqttv311")).exitCode());

        // Two publishers, two connections: MQTT orders messages per publisher only.
        String out = sub.result().out();
        assertEquals("xy", out.chars().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString(), out);
    }

    @Test
    void pubSendsAFileStandardInputOrAnEmptyMessage(@TempDir Path dir) throws Exception {
        String topic = topic();
        Path file = Files.writeString(dir.resolve("payload.txt"), "from a file\nwith two lines");
        try (MqttClient client = MqttClient.connect(broker.host() + ":" + broker.port());
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            assertEquals(0, Cli.run(at("pub", "-t", topic, "-q", "1", "-f", file.toString())).exitCode());
            assertEquals(0, Cli.runWithStdin("all of\nstdin", at("pub", "-t", topic, "-q", "1", "-s")).exitCode());
            assertEquals(0, Cli.run(at("pub", "-t", topic, "-q", "1", "-n")).exitCode());

            assertEquals("from a file\nwith two lines", next(subscription).payloadAsString());
            assertEquals("all of\nstdin", next(subscription).payloadAsString());
            assertEquals(0, next(subscription).payloadSize());
        }
    }

    @Test
    void mqtt5PropertiesOfDashDReachASubscriber() throws Exception {
        String topic = topic();
        try (MqttClient client = MqttClient.connect(broker.host() + ":" + broker.port());
             Subscription subscription = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
            Cli.Result pub = Cli.run(at("pub", "-t", topic, "-m", "{}", "-q", "1",
                    "-D", "publish", "user-property", "origin", "cli test",
                    "-D", "publish", "user-property", "run", "1",
                    "-D", "publish", "content-type", "application/json",
                    "-D", "publish", "message-expiry-interval", "60",
                    "-D", "publish", "response-topic", topic + "/reply",
                    "-D", "publish", "correlation-data", "req-42",
                    "-D", "publish", "payload-format-indicator", "1",
                    "-D", "connect", "session-expiry-interval", "0"));
            assertEquals(0, pub.exitCode(), pub::toString);

            MqttMessage message = next(subscription);
            assertEquals("{}", message.payloadAsString());
            assertTrue(message.userProperties().contains(new UserProperty("origin", "cli test")), message::toString);
            assertTrue(message.userProperties().contains(new UserProperty("run", "1")), message::toString);
            assertEquals("application/json", message.contentType());
            assertNotNull(message.messageExpiry());
            assertTrue(message.messageExpiry().toSeconds() <= 60 && message.messageExpiry().toSeconds() > 0);
            assertEquals(topic + "/reply", message.responseTopic().toString());
            assertEquals("req-42", new String(message.correlationData(), StandardCharsets.UTF_8));
            assertEquals(Boolean.TRUE, message.payloadIsUtf8());
        }
    }

    @Test
    void retainedMessageWithUrlReachesALaterSubscriber() throws Exception {
        String topic = topic();
        String url = "mqtt://" + broker.host() + ":" + broker.port();
        assertEquals(0, Cli.run("pub", "-L", url, "-t", topic, "-m", "kept", "-r", "-q", "1").exitCode());

        Cli.Result sub = Cli.run("sub", "-L", url, "-t", topic, "-C", "1", "-W", "20");

        assertEquals(0, sub.exitCode(), sub::toString);
        assertEquals("kept" + System.lineSeparator(), sub.out());
        Cli.run("pub", "-L", url, "-t", topic, "-n", "-r"); // clears the retained message
    }

    @Test
    void subWithTimeoutEndsWhenNothingArrives() {
        Cli.Result sub = Cli.run(at("sub", "-t", topic(), "-W", "1"));

        assertEquals(0, sub.exitCode(), sub::toString);
        assertEquals("", sub.out());
    }

    private static MqttMessage next(Subscription subscription) throws Exception {
        MqttMessage message = subscription.receive(Duration.ofSeconds(10));
        assertNotNull(message, "no message within 10 s");
        return message;
    }
}
