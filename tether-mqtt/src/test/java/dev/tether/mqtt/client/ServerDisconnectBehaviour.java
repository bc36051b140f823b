package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.Subscription;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The broker ends the connection: whoever waits for a message hears why. */
abstract class ServerDisconnectBehaviour extends BrokerBehaviour {

    /** Whether the broker tells an MQTT 5 client that its session was taken over, as it should. */
    abstract boolean saysSessionTakenOver();

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aSecondClientWithTheSameIdentifierTakesTheSessionOver(ProtocolVersion version) throws Exception {
        String identifier = uniqueIdentifier("takeover");
        try (MqttClient first = builder(version).reconnect(false).identifier(identifier).connect();
             Subscription subscription = first.subscribe(uniqueTopic("takeover"), Qos.AT_LEAST_ONCE)) {
            var all = first.messages().iterator();
            CompletableFuture<MqttException> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    subscription.receive();
                    return null;
                } catch (MqttException e) {
                    return e;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));

            try (MqttClient second = builder(version).identifier(identifier).connect()) {
                MqttException e = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (version == ProtocolVersion.V5 && saysSessionTakenOver()) {
                    // The broker says why in its DISCONNECT (server statement [MQTT-3.1.4-3]).
                    assertEquals(ReasonCode.SESSION_TAKEN_OVER, e.reasonCode(), e.getMessage());
                } else {
                    // 3.1.1 has no DISCONNECT from the broker: it just closes the connection.
                    assertEquals(ReasonCode.UNSPECIFIED_ERROR, e.reasonCode(), e.getMessage());
                    assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
                }
                // Iteration throws the same, wrapped; later calls say the connection is lost.
                UncheckedIOException iterating = assertThrows(UncheckedIOException.class, all::hasNext);
                assertEquals(e.reasonCode(), assertInstanceOf(MqttException.class, iterating.getCause()).reasonCode());
                MqttException publish = assertThrows(MqttException.class, () -> first.publish("a", "b"));
                assertEquals(e.reasonCode(), publish.reasonCode());
                assertTrue(second.publish(uniqueTopic("takeover"), "x").reasonCode() == ReasonCode.SUCCESS);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
    }
}
