package dev.tether.mqtt;

import java.time.Duration;

/**
 * A snapshot of a client's counters, from {@link MqttClient#metrics()}: what the Spring Boot
 * starter and the command line export. Counters count from the client's creation.
 *
 * <pre>{@code
 * ClientMetrics m = client.metrics();
 * System.out.printf("%d in flight, p99 ack latency %s, %d reconnects%n",
 *         m.inFlight(), m.publishLatencyP99(), m.reconnects());
 * }</pre>
 *
 * @param messagesSent      PUBLISH packets sent, resends included
 * @param messagesReceived  PUBLISH packets received, duplicates included
 * @param bytesSent         bytes written to the network
 * @param bytesReceived     bytes read from the network
 * @param inFlight          QoS 1/2 messages sent and not yet acknowledged by the broker
 * @param queuedOutgoing    QoS 1/2 messages waiting to be sent or acknowledged, in flight included
 * @param queuedIncoming    messages received and not yet taken by the application
 * @param droppedIncoming   incoming QoS 0 messages dropped by the {@link IncomingOverflowPolicy}
 * @param reconnects        connections made after a loss
 * @param publishes         QoS 1/2 publishes acknowledged by the broker, each counted once
 * @param publishLatencyP50 median time from {@code publish} to the broker's final acknowledgement
 * @param publishLatencyP99 99th percentile of the same
 * @param publishLatencyMax the longest of the same
 */
public record ClientMetrics(long messagesSent, long messagesReceived, long bytesSent, long bytesReceived,
                            int inFlight, int queuedOutgoing, int queuedIncoming, long droppedIncoming,
                            long reconnects, long publishes, Duration publishLatencyP50,
                            Duration publishLatencyP99, Duration publishLatencyMax) {
}
