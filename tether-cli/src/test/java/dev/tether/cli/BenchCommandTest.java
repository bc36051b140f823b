package dev.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(90)
class BenchCommandTest {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static Cli.Result bench(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "bench";
        all[1] = "-h";
        all[2] = broker.host();
        all[3] = "-p";
        all[4] = Integer.toString(broker.port());
        System.arraycopy(args, 0, all, 5, args.length);
        // picocli takes the options of "bench pub" after "pub": move the subcommand first.
        String sub = all[5];
        System.arraycopy(all, 1, all, 2, 4);
        all[1] = sub;
        return Cli.run(all);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Cli.Result result) {
        assertEquals(0, result.exitCode(), result::toString);
        return (Map<String, Object>) Json.parse(result.out().strip());
    }

    @Test
    void benchPubCountsEveryMessageOfEveryClient() {
        Map<String, Object> result = json(bench("pub", "-c", "3", "-n", "200", "-q", "1", "-s", "32", "--json"));

        assertEquals("pub", result.get("mode"));
        assertEquals(3.0, result.get("clients"));
        assertEquals(200.0, result.get("messagesPerClient"));
        assertEquals(600.0, result.get("sent"));
        assertEquals(600.0, result.get("received"));
        assertEquals(0.0, result.get("lost"));
        assertEquals(600.0 * 32, result.get("bytesReceived"));
        assertTrue((Double) result.get("messagesPerSecond") > 0, result::toString);
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) result.get("latencyMillis");
        assertTrue((Double) latency.get("p50") > 0 && (Double) latency.get("p50") <= (Double) latency.get("p99"), result::toString);
        assertTrue((Double) latency.get("p99") <= (Double) latency.get("max"), result::toString);
    }

    @Test
    void benchPingPongMeasuresRoundTripsAndShowsProgressAndATable() {
        // 40 round trips at 200 a second take some 200 ms: several progress lines at 20 ms.
        Cli.Result result = bench("pingpong", "-c", "2", "-n", "20", "--rate", "200", "--interval", "0.02", "-q", "1");

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("bench pingpong against"), result::toString);
        assertTrue(result.out().matches("(?s).*received\\s+40\\R.*"), result::toString);
        assertTrue(result.out().matches("(?s).*lost\\s+0\\R.*"), result::toString);
        assertTrue(result.out().contains("round trip p99"), result::toString);
        assertTrue(result.err().contains("msg/s  in flight"), result::toString);
        assertTrue(result.err().lines().allMatch(line -> !line.contains("\r")), "plain lines when not on a terminal");
    }

    @Test
    void benchPingPongJsonParses() {
        Map<String, Object> result = json(bench("pingpong", "-n", "10", "--json", "-V", "mqttv311"));

        assertEquals("pingpong", result.get("mode"));
        assertEquals("mqttv311", result.get("protocol"));
        assertEquals(10.0, result.get("received"));
    }

    @Test
    void benchSubReportsTheMessagesItReceived() throws Exception {
        String prefix = "cli/bench/" + UUID.randomUUID().toString().substring(0, 8);
        Cli.Background sub = new Cli.Background("bench", "sub", "-h", broker.host(), "-p", Integer.toString(broker.port()),
                "-t", prefix + "/#", "-n", "50", "-q", "1", "--json");
        sub.awaitErr("subscribed to " + prefix + "/#");

        try (MqttClient client = MqttClient.connect(broker.host() + ":" + broker.port())) {
            for (int i = 0; i < 50; i++) {
                client.publish(prefix + "/" + (i % 3), "message " + i, Qos.AT_LEAST_ONCE);
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) Json.parse(sub.result().out().strip());
        assertEquals("sub", result.get("mode"));
        assertEquals(50.0, result.get("received"));
        assertNull(result.get("sent"));
        assertNull(result.get("latencyMillis"));
    }

    @Test
    void benchRefusesATooSmallPayload() {
        Cli.Result result = bench("pub", "-s", "4");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("--size at least 8"), result::toString);
    }
}
