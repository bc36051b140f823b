package dev.tether.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tether.mqtt.ConnectResult;
import dev.tether.mqtt.DisconnectRequest;
import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.UserProperty;
import dev.tether.mqtt.testkit.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "MQTT 5 packets in full": the whole CONNACK, subscription identifiers, user properties, a DISCONNECT that says more. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Mqtt5PacketsExampleTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.hivemq();

    private static MqttClientBuilder newBuilderForLocalhost() {
        return MqttClient.newBuilder().host(broker.host()).port(broker.port());
    }

    static void example() throws Exception {
        // snippet mqtt5
        try (MqttClient client = newBuilderForLocalhost().identifier("meter-17").cleanStart(false)
                .sessionExpiry(Duration.ofHours(1)).requestResponseInformation(true).connect()) {
            ConnectResult connack = client.connectResult();
            if (connack.isSet(ConnectResult.Property.RECEIVE_MAXIMUM)) { /* the broker's own limit */ }
            String replies = connack.responseInformation();                     // null unless the broker sent it
            Subscription meters = client.subscribe(SubscribeRequest.newBuilder().filter("meters/#", Qos.AT_LEAST_ONCE)
                    .subscriptionIdentifier(17).userProperty("tenant", "acme").build());
            client.publish("meters/17", "42.1", Qos.AT_LEAST_ONCE);
            MqttMessage reading = meters.receive(Duration.ofSeconds(5));
            System.out.println(reading.subscriptionIdentifiers());              // [17]: the subscription it matched
            client.unsubscribe(List.of("meters/#"), List.of(UserProperty.of("tenant", "acme")));
            client.close(DisconnectRequest.newBuilder()
                    .reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)         // the broker publishes the will
                    .sessionExpiry(Duration.ZERO)                                // and forgets the session now
                    .build());
        }
        // end snippet
    }

    @Test
    void theReadingCarriesTheChosenIdentifierAndTheSessionIsForgotten() throws Exception {
        try (PrintedLines printed = new PrintedLines()) {
            example();
            assertEquals("[17]", printed.next(WAIT));
        }
        try (MqttClient again = newBuilderForLocalhost().identifier("meter-17").cleanStart(false)
                .sessionExpiry(Duration.ofHours(1)).connect()) {
            assertFalse(again.connectResult().sessionPresent(), "the DISCONNECT's session expiry of 0 ended the session");
            again.close(DisconnectRequest.newBuilder().sessionExpiry(Duration.ZERO).build());
        }
    }
}
