package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.Qos;
import dev.tether.mqtt.TopicFilter;
import dev.tether.spring.MqttListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

/**
 * Finds the {@code @MqttListener} methods of every bean as it is created and keeps them for the
 * {@link MqttListenerContainer}. It depends on nothing else, so that it does not create the client
 * early, as a post-processor must not.
 */
final class MqttListenerProcessor implements BeanPostProcessor, EmbeddedValueResolverAware {

    private final List<ListenerEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private StringValueResolver resolver;

    @Override
    public void setEmbeddedValueResolver(StringValueResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, MqttListener> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<MqttListener>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, MqttListener.class));
        methods.forEach((method, annotation) -> endpoints.add(endpoint(bean, beanName, method, annotation)));
        return bean;
    }

    private ListenerEndpoint endpoint(Object bean, String beanName, Method method, MqttListener annotation) {
        String id = annotation.id().isEmpty() ? beanName + "." + method.getName() : resolve(annotation.id());
        if (annotation.topics().length == 0) {
            throw new IllegalStateException("@MqttListener " + id + " names no topic");
        }
        if (annotation.concurrency() < 1) {
            throw new IllegalStateException("@MqttListener " + id + " needs a concurrency of at least 1, was "
                    + annotation.concurrency());
        }
        if (annotation.qos() < 0 || annotation.qos() > 2) {
            throw new IllegalStateException("@MqttListener " + id + " needs a qos of 0, 1 or 2, was " + annotation.qos());
        }
        String group = resolve(annotation.group());
        List<String> filters = new ArrayList<>();
        for (String topic : annotation.topics()) {
            String filter = group.isEmpty() ? resolve(topic) : "$share/" + group + "/" + resolve(topic);
            try {
                TopicFilter.of(filter);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("@MqttListener " + id + ": " + e.getMessage(), e);
            }
            filters.add(filter);
        }
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        return new ListenerEndpoint(id, bean, invocable, filters, Qos.of(annotation.qos()), annotation.concurrency());
    }

    private String resolve(String value) {
        return resolver == null ? value : resolver.resolveStringValue(value);
    }

    /** {@return the listener methods found so far} */
    List<ListenerEndpoint> endpoints() {
        return List.copyOf(endpoints);
    }
}
