package dev.tether.spring;

import dev.tether.mqtt.MqttMessage;

/**
 * Receives what an {@link MqttListener} method threw, or why its message could not be converted
 * to the method's parameter. The default one logs the failure (listener id, topic and error; never
 * the payload) and the starter counts it in the {@code mqtt.listener.messages} metric with
 * {@code outcome=error}. Whatever a handler does, the listener goes on with the next message.
 *
 * <pre>{@code
 * @Bean
 * MqttListenerErrorHandler deadLetters(MqttClient client) {
 *     return (listenerId, message, error) ->
 *             client.publish(message.toBuilder().topic("dead-letters/" + message.topic()).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface MqttListenerErrorHandler {

    /**
     * Handles one failure. An exception thrown here is logged and otherwise ignored.
     *
     * @param listenerId the listener's {@link MqttListener#id() id}
     * @param message the message the listener failed on
     * @param error what the method threw, or the conversion failure
     * @throws Exception anything; it is logged
     */
    void handle(String listenerId, MqttMessage message, Throwable error) throws Exception;
}
