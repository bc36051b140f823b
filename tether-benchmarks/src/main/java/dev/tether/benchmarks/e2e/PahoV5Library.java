package dev.tether.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Eclipse Paho {@code org.eclipse.paho.mqttv5.client} 1.2.5, MQTT 5, {@link MqttAsyncClient}.
 * Settings: clean start, keep-alive 60 s, automatic reconnect off, {@link MemoryPersistence},
 * everything else default. Paho v5 bounds its QoS 1/2 in-flight messages by the broker's receive
 * maximum and, past it, throws "too many publishes in progress" (32202) instead of waiting: this
 * adapter then parks 50 µs and tries again, which is what an application has to do.
 */
final class PahoV5Library implements Library {

    @Override
    public String name() {
        return "Paho v5";
    }

    @Override
    public Connection connect(String host, int port, String clientId, int window) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setKeepAliveInterval(60);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(30);
        Receiver[] receiver = {(topic, payload) -> { }};
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                receiver[0].onMessage(topic, ByteBuffer.wrap(message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
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
                MqttActionListener listener = new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        completion.done();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        completion.failed(cause);
                    }
                };
                while (true) {
                    try {
                        client.publish(topic, payload, qos, false, null, listener);
                        return;
                    } catch (MqttException e) {
                        if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                            throw e;
                        }
                        LockSupport.parkNanos(50_000);
                    }
                }
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
