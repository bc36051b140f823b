package dev.tether.spring.autoconfigure;

import dev.tether.mqtt.MqttClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the shared client late in shutdown: in phase {@value #PHASE}, below the web server's
 * graceful shutdown and stop phases, so that requests still being drained can publish, and below
 * the listeners, which stop first. The client itself is connected when its bean is created,
 * during the context refresh, before any lifecycle starts.
 *
 * <p>A closed client stays closed: after a {@code stop()} the context cannot start it again, and
 * {@link #isRunning()} stays false.
 */
final class MqttClientLifecycle implements SmartLifecycle {

    /** Below {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE} (Integer.MAX_VALUE - 2048). */
    static final int PHASE = Integer.MAX_VALUE - 4096;

    private static final Log log = LogFactory.getLog(MqttClientLifecycle.class);

    private final MqttClient client;
    private volatile boolean running;

    MqttClientLifecycle(MqttClient client) {
        this.client = client;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        client.close();
    }

    @Override
    public void stop(Runnable callback) {
        // close() waits for the QoS 1/2 publishes in flight, bounded by the client's close timeout;
        // on its own thread, so that the phases' stops overlap as Spring allows.
        Thread.ofVirtual().name("tether-mqtt-close").start(() -> {
            try {
                stop();
            } catch (RuntimeException e) {
                log.warn("Closing the MQTT client failed", e);
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
