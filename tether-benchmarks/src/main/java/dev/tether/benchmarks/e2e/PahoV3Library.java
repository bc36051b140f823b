package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho {@code org.eclipse.paho.client.mqttv3} 1.2.5, MQTT 3.1.1, {@link MqttAsyncClient}.
 * Settings: clean session, keep-alive 60 s, automatic reconnect off, {@link MemoryPersistence}
 * (the default is a file store), max in-flight = the harness's window (its default, 10, would
 * throttle QoS 1/2), everything else default. Messages arrive on Paho's callback thread;
 * completions come from its action listeners.
 */
final class PahoV3Library implements Library {

    @Override
    public String name() {
        return "Paho v3";
    }

    @Override
    public Connection connect(String host, int port, String clientId, int window) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setKeepAliveInterval(60);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(Math.max(window, 10));
        options.setConnectionTimeout(30);
        Receiver[] receiver = {(topic, payload) -> { }};
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                receiver[0].onMessage(topic, ByteBuffer.wrap(message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options).waitForCompletion(30_000);
        return new Connection() {
            @Override
            public void subscribe(String filter, int qos, Receiver r) throws Exception {
                receiver[0] = r;
                client.subscribe(filter, qos).waitForCompletion(30_000);
            }

            @Override
            public void publish(String topic, byte[] payload, int qos, Completion completion) throws Exception {
                client.publish(topic, payload, qos, false, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        completion.done();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        completion.failed(cause);
                    }
                });
            }

            @Override
            public void close() throws Exception {
                try {
                    client.disconnect(5_000).waitForCompletion(10_000);
                } finally {
                    client.close();
                }
            }
        };
    }
}
