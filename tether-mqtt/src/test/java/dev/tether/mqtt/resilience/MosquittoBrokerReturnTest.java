package dev.tether.mqtt.resilience;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MosquittoBroker;
import dev.tether.mqtt.testkit.MqttBroker;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outage through the proxy, and a real one: a Mosquitto of the test's own killed with SIGKILL
 * and started again on its port three seconds later.
 */
@Tag("interop")
class MosquittoBrokerReturnTest extends BrokerReturnBehaviour {

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto();

    @Override
    MqttBroker broker() {
        return broker.broker();
    }

    @Test
    void theDefaultBackoffIsBackWithinHalfASecondOfARestartAfterThreeSeconds() throws Exception {
        try (MosquittoBroker own = MosquittoBroker.start();
             MqttClient client = MqttClient.newBuilder().host(own.host()).port(own.port()).connect()) {
            BlockingQueue<Stamped> events = record(client);
            ProcessHandle process = ProcessHandle.of(own.pid()).orElseThrow();
            assertTrue(process.destroyForcibly(), "SIGKILL sent");
            long killedAt = System.nanoTime();
            process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            int attempts = awaitOutage(events, killedAt, OUTAGE);
            long restarting = System.nanoTime();
            own.restart(); // returns once Mosquitto says it is running
            long backAt = System.nanoTime();

            Stamped connected = nextConnected(events);
            Duration back = Duration.ofNanos(connected.nanos() - backAt);
            System.out.printf("RESILIENCE: return-after-outage broker=mosquitto fault=kill-restart outageMs=%d"
                            + " attemptsDuringOutage=%d restartTookMs=%d connectedAfterReturnMs=%d%n",
                    (restarting - killedAt) / 1_000_000, attempts, (backAt - restarting) / 1_000_000, back.toMillis());
            assertTrue(attempts >= 2, "the client kept trying during the outage: " + attempts + " attempts");
            assertTrue(back.compareTo(BACK_WITHIN) <= 0, "connected again only " + back + " after the broker's return,"
                    + " more than " + BACK_WITHIN + " (" + PROMISED + " promised, the rest slack for a loaded machine)");
        }
    }
}
