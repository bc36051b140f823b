package dev.tether.benchmarks.e2e;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ MQTT Client {@code com.hivemq:hivemq-mqtt-client} 1.3.10, MQTT 3.1.1, its async API
 * ({@link Mqtt3AsyncClient}). Settings as {@link HiveMqLibrary}'s: clean session, keep-alive 60 s,
 * no automatic reconnect (its default), everything else default; messages arrive on the callback
 * given to {@code subscribeWith()}, run on the Netty thread; completions are its futures.
 */
final class HiveMq3Library implements Library {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public String name() {
        return "HiveMQ 3.1.1";
    }

    @Override
    public Connection connect(String host, int port, String clientId, int window) throws Exception {
        Mqtt3AsyncClient client = Mqtt3Client.builder()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .buildAsync();
        client.connectWith().cleanSession(true).keepAlive(60).send().get(30, TimeUnit.SECONDS);
        return new Connection() {
            @Override
            public void subscribe(String filter, int qos, Receiver receiver) throws Exception {
                client.subscribeWith()
                        .topicFilter(filter)
                        .qos(MqttQos.fromCode(qos))
                        .callback(publish -> receiver.onMessage(publish.getTopic().toString(), publish.getPayload().orElse(EMPTY)))
                        .send()
                        .get(30, TimeUnit.SECONDS);
            }

            @Override
            public void publish(String topic, byte[] payload, int qos, Completion completion) {
                client.publishWith()
                        .topic(topic)
                        .qos(MqttQos.fromCode(qos))
                        .payload(payload)
                        .send()
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
                client.disconnect().get(10, TimeUnit.SECONDS);
            }
        };
    }
}
