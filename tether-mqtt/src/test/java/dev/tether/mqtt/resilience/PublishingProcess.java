package dev.tether.mqtt.resilience;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.SessionStore;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link KillNineBehaviour}: a publisher with a file session store that
 * publishes the numbered messages {@code first..last} asynchronously, at most {@link #WINDOW}
 * unacknowledged at a time, until it is killed or done. It prints, each line flushed:
 *
 * <ul>
 *   <li>{@code CONNECTED <sessionPresent> <queuedOutgoing>} once connected;
 *   <li>{@code PUBLISHING <n>} before it calls {@code publishAsync} for message n;
 *   <li>{@code RETURNED <n>} once that call returned: the message is in the store;
 *   <li>{@code ACKED <n>} when its flow completed;
 *   <li>{@code FAILED <n> <exception>} when it failed;
 *   <li>{@code DONE <queuedOutgoing>} after every publish of its own completed and the flows it
 *       recovered from the store did too ({@code queuedOutgoing} reached 0), and the end marker
 *       {@code END}, published last on the same topic, was acknowledged.
 * </ul>
 */
final class PublishingProcess {

    static final int WINDOW = 100;

    private PublishingProcess() {
    }

    /** args: host, port, protocol, QoS code, identifier, store directory, topic, first, last. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        ProtocolVersion version = ProtocolVersion.valueOf(args[2]);
        Qos qos = Qos.of(Integer.parseInt(args[3]));
        String topic = args[6];
        int first = Integer.parseInt(args[7]);
        int last = Integer.parseInt(args[8]);
        MqttClientBuilder builder = MqttClient.newBuilder().host(args[0]).port(Integer.parseInt(args[1])).protocol(version)
                .identifier(args[4]).cleanStart(false).sessionStore(SessionStore.file(Path.of(args[5])))
                .operationTimeout(Duration.ofSeconds(60));
        if (version == ProtocolVersion.V5) {
            builder.sessionExpiry(Duration.ofMinutes(5));
        }
        try (MqttClient client = builder.connect()) {
            out.println("CONNECTED " + client.connectResult().sessionPresent() + " " + client.metrics().queuedOutgoing());
            Semaphore window = new Semaphore(WINDOW);
            CountDownLatch own = new CountDownLatch(Math.max(0, last - first + 1));
            for (int n = first; n <= last; n++) {
                if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no acknowledgement within 60 s");
                }
                int number = n;
                out.println("PUBLISHING " + n);
                var future = client.publishAsync(topic, Integer.toString(n), qos);
                out.println("RETURNED " + n);
                future.whenComplete((result, failure) -> {
                    out.println(failure == null ? "ACKED " + number : "FAILED " + number + " " + failure);
                    window.release();
                    own.countDown();
                });
            }
            if (!own.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(own.getCount() + " publishes not completed within 60 s");
            }
            // The flows recovered from the store complete on their own; wait for them, bounded.
            CountDownLatch never = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (client.metrics().queuedOutgoing() > 0 && System.nanoTime() < deadline) {
                never.await(5, TimeUnit.MILLISECONDS);
            }
            int queued = client.metrics().queuedOutgoing();
            client.publish(topic, "END", qos);
            out.println("DONE " + queued);
        }
    }
}
