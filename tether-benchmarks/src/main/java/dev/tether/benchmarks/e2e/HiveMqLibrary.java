package dev.tether.benchmarks.e2e;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ MQTT Client {@code com.hivemq:hivemq-mqtt-client} 1.3.10, MQTT 5, its async API
 * ({@link Mqtt5AsyncClient}). Settings: clean start, keep-alive 60 s, no automatic reconnect (its
 * default), everything else default (receive maximum 65,535, Netty event loops shared by all
 * clients of the JVM). Messages arrive on the callback given to {@code subscribeWith()}, run on
 * the Netty thread; completions are its futures. The broker's receive maximum bounds QoS 1/2
 * publishes in flight, the rest wait in the client's queue.
 */
final class HiveMqLibrary implements Library {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public String name() {
        return "HiveMQ 5";
    }

    @Override
    public Connection connect(String host, int port, String clientId, int window) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .buildAsync();
        client.connectWith().cleanStart(true).keepAlive(60).send().get(30, TimeUnit.SECONDS);
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
                            Throwable error = failure != null ? failure : result.getError().orElse(null);
                            if (error == null) {
                                completion.done();
                            } else {
                                completion.failed(error);
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
