package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttMessage;
import dev.tether.spring.MqttListenerErrorHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** The default: logs the listener, the topic and the error; never the payload, which may be private. */
final class LoggingListenerErrorHandler implements MqttListenerErrorHandler {

    private static final Log log = LogFactory.getLog(MqttListenerErrorHandler.class);

    @Override
    public void handle(String listenerId, MqttMessage message, Throwable error) {
        log.error("MQTT listener " + listenerId + " failed on a message from " + message.topic() + " (QoS "
                + message.qos().code() + ", " + message.payloadSize() + " bytes)", error);
    }
}
