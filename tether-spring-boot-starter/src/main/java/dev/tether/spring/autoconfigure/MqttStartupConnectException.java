package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttException;

/** The shared client could not connect while the application started; names the broker, never the password. */
final class MqttStartupConnectException extends MqttException {

    private static final long serialVersionUID = 1L;

    MqttStartupConnectException(String broker, MqttException cause) {
        super(cause.reasonCode(), "could not connect to the MQTT broker " + broker + ": " + cause.getMessage(), cause);
    }
}
