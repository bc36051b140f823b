package dev.tether.mqtt.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.mqtt.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundAcknowledgementsTest {

    private final List<Integer> sent = new ArrayList<>();
    private final InboundAcknowledgements acknowledgements = new InboundAcknowledgements(flow -> sent.add(flow.packetId()));

    @Test
    @Statement(v311 = "MQTT-4.6.0-2", v5 = "MQTT-4.6.0-2")
    void acknowledgesInArrivalOrderEvenWhenTakenOutOfOrder() throws Exception {
        MessageStream<String> first = new MessageStream<>(10);
        MessageStream<String> second = new MessageStream<>(10);
        InboundFlow one = route(1, first);
        InboundFlow two = route(2, second);

        second.take(); // message 2 is taken first: its PUBACK must wait for message 1's [MQTT-4.6.0-2]
        assertEquals(List.of(), sent);
        first.take();
        assertEquals(List.of(1, 2), sent);
        assertEquals(0, acknowledgements.pending());
        assertEquals(true, one.isDone() && two.isDone());
    }

    @Test
    @Statement(v311 = "MQTT-4.6.0-3", v5 = "MQTT-4.6.0-3")
    void pubrecsAndPubacksKeepTheArrivalOrderOfTheirMessages() throws Exception {
        List<MessageStream<String>> streams = List.of(new MessageStream<>(10), new MessageStream<>(10), new MessageStream<>(10));
        route(1, true, streams.get(0));
        route(2, false, streams.get(1));
        route(3, true, streams.get(2));

        streams.get(2).take();
        streams.get(1).take();
        assertEquals(List.of(), sent, "the PUBREC of 3 and the PUBACK of 2 wait for the PUBREC of 1");
        streams.get(0).take();
        assertEquals(List.of(1, 2, 3), sent);
    }

    @Test
    void aMessageIsAcknowledgedOnceEveryStreamItWentToHandedItOut() throws Exception {
        MessageStream<String> subscription = new MessageStream<>(10);
        MessageStream<String> all = new MessageStream<>(10);
        InboundFlow flow = routeToBoth(7, subscription, all);

        all.take();
        assertEquals(List.of(), sent, "the subscription has not given it out yet");
        subscription.take();
        assertEquals(List.of(7), sent);
    }

    @Test
    void aStreamClosedWithTheMessageUnreadCountsAsDone() throws Exception {
        MessageStream<String> subscription = new MessageStream<>(10);
        MessageStream<String> all = new MessageStream<>(10);
        InboundFlow flow = routeToBoth(8, subscription, all);

        all.take();
        subscription.close();
        assertEquals(List.of(8), sent);
    }

    @Test
    void notAcknowledgedWhileRoutingIsUnderWay() throws Exception {
        MessageStream<String> closing = new MessageStream<>(10);
        InboundFlow flow = acknowledgements.start(3, true);
        closing.put("m", flow);
        closing.close(); // dropped unread while the reader is still routing
        assertEquals(List.of(), sent);
        flow.routed();
        assertEquals(List.of(3), sent, "nobody is left to read it: acknowledged");
    }

    @Test
    void manualModeWaitsForTheApplicationsAcknowledgement() throws Exception {
        MessageStream<String> manual = new MessageStream<>(10, false);
        InboundFlow flow = route(9, manual);
        manual.take();
        assertEquals(List.of(), sent, "taking does not acknowledge in manual mode");
        flow.applicationAcknowledged(); // what MqttMessage.ack() calls
        assertEquals(List.of(9), sent);
        flow.applicationAcknowledged();
        assertEquals(List.of(9), sent, "acknowledging again changes nothing");
    }

    @Test
    void manualModeWaitsForEveryStreamAndTheApplication() throws Exception {
        MessageStream<String> subscription = new MessageStream<>(10, false);
        MessageStream<String> all = new MessageStream<>(10, false);
        InboundFlow flow = routeToBoth(4, subscription, all);

        all.take();
        flow.applicationAcknowledged();
        assertEquals(List.of(), sent, "the subscription has not given it out yet");
        subscription.take();
        assertEquals(List.of(4), sent);
    }

    @Test
    void manualModeWaitsForTheApplicationEvenWhenTheOtherStreamClosed() throws Exception {
        MessageStream<String> subscription = new MessageStream<>(10, false);
        MessageStream<String> all = new MessageStream<>(10, false);
        InboundFlow flow = routeToBoth(5, subscription, all);

        all.take();
        subscription.close();
        assertEquals(List.of(), sent, "the application has it and has not acknowledged it");
        flow.applicationAcknowledged();
        assertEquals(List.of(5), sent);
    }

    /** A message routed into two streams, as when it matches a subscription and messages() is read too. */
    private InboundFlow routeToBoth(int packetId, MessageStream<String> subscription, MessageStream<String> all)
            throws InterruptedException {
        InboundFlow flow = acknowledgements.start(packetId, false);
        subscription.put("m", flow);
        all.put("m", flow);
        flow.routed();
        return flow;
    }

    private InboundFlow route(int packetId, MessageStream<String> stream) throws InterruptedException {
        return route(packetId, false, stream);
    }

    private InboundFlow route(int packetId, boolean exactlyOnce, MessageStream<String> stream) throws InterruptedException {
        InboundFlow flow = acknowledgements.start(packetId, exactlyOnce);
        stream.put("message " + packetId, flow);
        flow.routed();
        return flow;
    }
}
