package dev.tether.spring;

import dev.tether.mqtt.ConnectionState;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.Topic;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The application of the starter's tests: request handlers and listeners sharing the client. */
@SpringBootApplication
class WeatherApplication {

    /** What the listeners and the error handler saw, for the tests to check. */
    static final class Seen {
        final AtomicReference<String> temperature = new AtomicReference<>();
        final List<Reading> readings = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<String> afterFailure = new CopyOnWriteArrayList<>();
        /** Held by the drain test: /slow waits on it before it publishes. */
        volatile CountDownLatch gate = new CountDownLatch(0);
        final List<ConnectionState> stateWhenPublishing = new CopyOnWriteArrayList<>();
        volatile CountDownLatch slowArrived = new CountDownLatch(0);
    }

    record Reading(String sensor, double celsius) {
    }

    @Bean
    Seen seen() {
        return new Seen();
    }

    @Bean
    MqttListenerErrorHandler recordingErrorHandler(Seen seen) {
        return (listenerId, message, error) -> seen.failures.add(listenerId + " " + message.topic() + " " + error.getMessage());
    }

    @RestController
    static class WeatherController {
        private final MqttClient mqtt;
        private final MqttTemplate template;
        private final Seen seen;

        WeatherController(MqttClient mqtt, MqttTemplate template, Seen seen) {
            this.mqtt = mqtt;
            this.template = template;
            this.seen = seen;
        }

        @PostMapping("/humidity")
        ResponseEntity<Void> humidity(@RequestBody String value) throws MqttException {
            mqtt.publish("humidity/outside", value.trim(), Qos.AT_LEAST_ONCE);
            return ResponseEntity.noContent().build();
        }

        @PostMapping("/readings")
        ResponseEntity<Void> reading(@RequestBody Reading reading) throws MqttException {
            template.publish("readings/" + reading.sensor(), reading, Qos.AT_LEAST_ONCE);
            return ResponseEntity.noContent().build();
        }

        @GetMapping("/temperature")
        ResponseEntity<String> temperature() {
            String value = seen.temperature.get();
            return value == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(value);
        }

        /** Waits for the test's gate, then publishes: a request still in flight when shutdown begins. */
        @PostMapping("/slow")
        ResponseEntity<Void> slow(@RequestParam("n") int n) throws Exception {
            seen.slowArrived.countDown();
            if (!seen.gate.await(30, TimeUnit.SECONDS)) {
                return ResponseEntity.internalServerError().build();
            }
            seen.stateWhenPublishing.add(mqtt.state());
            mqtt.publish("drain/" + n, String.valueOf(n), Qos.AT_LEAST_ONCE);
            return ResponseEntity.noContent().build();
        }
    }

    @org.springframework.stereotype.Component
    static class Listeners {
        private final Seen seen;

        Listeners(Seen seen) {
            this.seen = seen;
        }

        @MqttListener(topics = "temperature/+", qos = 1)
        void temperature(String value, Topic topic) {
            seen.temperature.set(value);
        }

        @MqttListener(topics = "readings/+")
        void reading(Reading reading) {
            seen.readings.add(reading);
        }

        @MqttListener(topics = "fragile/#", id = "fragile")
        void fragile(MqttMessage message) {
            if (message.payloadAsString().startsWith("fail")) {
                throw new IllegalStateException("cannot take " + message.payloadAsString());
            }
            seen.afterFailure.add(message.payloadAsString());
        }
    }
}
