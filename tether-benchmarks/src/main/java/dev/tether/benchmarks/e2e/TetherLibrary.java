package dev.tether.benchmarks.e2e;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tether, MQTT 3.1.1 or 5. Settings: clean start, keep-alive 60 s, automatic reconnect off (the
 * others' is off too), {@code maxInFlight} = the harness's window (as Paho v3's max in-flight;
 * MQTT 5 follows the broker's receive maximum in any case), everything else default:
 * {@code maxQueuedOutgoing} 10,000 (above any window the harness uses), {@code maxQueuedIncoming}
 * 1,000 per stream, receive maximum 1,000 (MQTT 5), automatic acknowledgement when the message is
 * taken from its stream. Publishes go
 * through {@link MqttClient#publishAsync(MqttMessage)}; each subscription is consumed by a
 * virtual thread iterating it, as the README shows. The payload is handed over with
 * {@code payloadWithoutCopy} (the harness makes a new array per message and never changes it), as
 * Paho's and the HiveMQ client's builders take theirs.
 */
final class TetherLibrary implements Library {

    private final ProtocolVersion version;

    TetherLibrary(ProtocolVersion version) {
        this.version = version;
    }

    @Override
    public String name() {
        return version == ProtocolVersion.V5 ? "Tether 5" : "Tether 3.1.1";
    }

    @Override
    public Connection connect(String host, int port, String clientId, int window) throws Exception {
        MqttClient client = MqttClient.newBuilder()
                .host(host).port(port)
                .identifier(clientId)
                .protocol(version)
                .cleanStart(true)
                .keepAlive(Duration.ofSeconds(60))
                .reconnect(false)
                // MQTT 3.1.1 keeps 20 publishes in flight by default (Mosquitto's default limit);
                // the harness's broker allows 100, and Paho v3 is given the window as well.
                .maxInFlight(Math.max(window, 1))
                .connect();
        return new Connection() {
            private final List<Thread> consumers = new ArrayList<>();

            @Override
            public void subscribe(String filter, int qos, Receiver receiver) throws Exception {
                Subscription subscription = client.subscribe(filter, Qos.of(qos));
                consumers.add(Thread.ofVirtual().name("bench-consumer-" + clientId).start(() -> {
                    for (MqttMessage message : subscription) {
                        receiver.onMessage(message.topic().toString(), message.payloadBuffer());
                    }
                }));
            }

            @Override
            public Pull subscribeForPull(String filter, int qos) throws Exception {
                Subscription subscription = client.subscribe(filter, Qos.of(qos));
                return timeoutNanos -> {
                    MqttMessage message = subscription.receive(Duration.ofNanos(timeoutNanos));
                    return message == null ? null : message.payloadBuffer();
                };
            }

            @Override
            public void publish(String topic, byte[] payload, int qos, Completion completion) {
                // The harness makes a new array per message and never changes it: no copy needed.
                client.publishAsync(MqttMessage.newBuilder(topic).payloadWithoutCopy(payload).qos(Qos.of(qos)).build())
                        .whenComplete((result, failure) -> {
                            if (failure == null) {
                                completion.done();
                            } else {
                                completion.failed(failure);
                            }
                        });
            }

            @Override
            public void close() throws Exception {
                client.close();
                for (Thread consumer : consumers) {
                    consumer.join(5_000);
                }
            }
        };
    }
}
