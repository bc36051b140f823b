package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Topic;
import dev.tether.spring.MqttPayloadConverter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import org.springframework.util.ReflectionUtils;

/**
 * One {@code @MqttListener} method with its filters, resolved when the bean was created: what
 * each parameter takes is decided once, so that a wrong signature fails start-up, not the first
 * message.
 */
final class ListenerEndpoint {

    private enum Argument { MESSAGE, TOPIC, PAYLOAD }

    private final String id;
    private final Object bean;
    private final Method method;
    private final List<String> filters;
    private final Qos qos;
    private final int concurrency;
    private final Argument[] arguments;
    private final Type payloadType;

    ListenerEndpoint(String id, Object bean, Method method, List<String> filters, Qos qos, int concurrency) {
        this.id = id;
        this.bean = bean;
        this.method = method;
        this.filters = List.copyOf(filters);
        this.qos = qos;
        this.concurrency = concurrency;
        Type[] types = method.getGenericParameterTypes();
        this.arguments = new Argument[types.length];
        Type payload = null;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == MqttMessage.class) {
                arguments[i] = Argument.MESSAGE;
            } else if (types[i] == Topic.class) {
                arguments[i] = Argument.TOPIC;
            } else if (payload == null) {
                arguments[i] = Argument.PAYLOAD;
                payload = types[i];
            } else {
                throw new IllegalStateException("@MqttListener " + id + " has two payload parameters (" + payload.getTypeName()
                        + " and " + types[i].getTypeName() + "); it may take MqttMessage, Topic and one payload");
            }
        }
        this.payloadType = payload;
        ReflectionUtils.makeAccessible(method);
    }

    String id() {
        return id;
    }

    List<String> filters() {
        return filters;
    }

    int concurrency() {
        return concurrency;
    }

    /** {@return the payload parameter's type, or null when the method takes none} */
    Type payloadType() {
        return payloadType;
    }

    SubscribeRequest subscribeRequest() {
        SubscribeRequest.Builder request = SubscribeRequest.newBuilder();
        filters.forEach(filter -> request.filter(filter, qos));
        return request.build();
    }

    /**
     * Converts the message to the method's parameters and calls it.
     *
     * @throws Throwable what the method threw, or the conversion failure
     */
    void invoke(MqttMessage message, MqttPayloadConverter converter) throws Throwable {
        Object[] values = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            values[i] = switch (arguments[i]) {
                case MESSAGE -> message;
                case TOPIC -> message.topic();
                case PAYLOAD -> converter.fromPayload(message, payloadType);
            };
        }
        try {
            method.invoke(bean, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public String toString() {
        return id + " " + filters;
    }
}
