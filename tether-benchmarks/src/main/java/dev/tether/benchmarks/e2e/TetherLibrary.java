package dev.tether.benchmarks.e2e;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Subscription;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tether, MQTT 3.1.1 or 5, in two shapes. Settings for both: clean start, keep-alive 60 s,
 * automatic reconnect off (the others' is off too), {@code maxInFlight} = the harness's window (as
 * Paho v3's max in-flight; MQTT 5 follows the broker's receive maximum in any case), everything
 * else default: {@code maxQueuedOutgoing} 10,000 (above any window the harness uses),
 * {@code maxQueuedIncoming} 1,000 per stream, receive maximum 1,000 (MQTT 5), automatic
 * acknowledgement when the message is taken from its stream. Each subscription is consumed by a
 * virtual thread iterating it, as the README shows.
 *
 * <ul>
 *   <li><b>plain</b> (the default, "Tether 5"): the code the README tells a user to write.
 *       {@code publishAsync(topic, bytes, qos)}, {@code message.payload()}, a blocking
 *       {@code receive} for the requester, and a responder that iterates its subscription and
 *       answers each message with {@code publish(topic, bytes, qos)}.</li>
 *   <li><b>copy-free</b> ("Tether 5 (copy-free)"): the same with the methods that skip the copies
 *       of immutability, {@code payloadWithoutCopy} and {@code payloadBuffer} (the harness makes a
 *       new array per message and never changes it, as Paho's and the HiveMQ client's builders
 *       take theirs).</li>
 * </ul>
 */
final class TetherLibrary implements Library {

    private final ProtocolVersion version;
    private final boolean copyFree;

    TetherLibrary(ProtocolVersion version, boolean copyFree) {
        this.version = version;
        this.copyFree = copyFree;
    }

    @Override
    public String name() {
        return (version == ProtocolVersion.V5 ? "Tether 5" : "Tether 3.1.1") + (copyFree ? " (copy-free)" : "");
    }

    /** {@return the key in {@code libraries=}: tether5, tether3, tether5-copyfree, tether3-copyfree} */
    String key() {
        return (version == ProtocolVersion.V5 ? "tether5" : "tether3") + (copyFree ? "-copyfree" : "");
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
                consume(subscription, message -> receiver.onMessage(message.topic().toString(), payload(message)));
            }

            @Override
            public Pull subscribeForPull(String filter, int qos) throws Exception {
                Subscription subscription = client.subscribe(filter, Qos.of(qos));
                return timeoutNanos -> {
                    MqttMessage message = subscription.receive(Duration.ofNanos(timeoutNanos));
                    return message == null ? null : payload(message);
                };
            }

            @Override
            public void respond(String requests, String replies) throws Exception {
                Subscription subscription = client.subscribe(requests, Qos.AT_MOST_ONCE);
                consume(subscription, message -> {
                    try {
                        if (copyFree) {
                            // The builder of a message keeps its payload: no copy.
                            client.publish(message.toBuilder().topic(replies).qos(Qos.AT_MOST_ONCE).build());
                        } else {
                            client.publish(replies, message.payload(), Qos.AT_MOST_ONCE);
                        }
                    } catch (Exception e) {
                        System.out.println("  reply failed: " + e);
                    }
                });
            }

            private void consume(Subscription subscription, java.util.function.Consumer<MqttMessage> handler) {
                consumers.add(Thread.ofVirtual().name("bench-consumer-" + clientId).start(() -> {
                    for (MqttMessage message : subscription) {
                        handler.accept(message);
                    }
                }));
            }

            private ByteBuffer payload(MqttMessage message) {
                return copyFree ? message.payloadBuffer() : ByteBuffer.wrap(message.payload());
            }

            @Override
            public void publish(String topic, byte[] payload, int qos, Completion completion) {
                var future = copyFree
                        ? client.publishAsync(MqttMessage.newBuilder(topic).payloadWithoutCopy(payload).qos(Qos.of(qos)).build())
                        : client.publishAsync(topic, payload, Qos.of(qos));
                future.whenComplete((result, failure) -> {
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
