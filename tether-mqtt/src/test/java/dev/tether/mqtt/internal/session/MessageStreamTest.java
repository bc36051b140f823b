package dev.tether.mqtt.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.IncomingOverflowPolicy;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.ReasonCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageStreamTest {

    @Test
    void aFullStreamMakesThePutterWaitUntilAConsumerTakes() throws Exception {
        MessageStream<String> stream = new MessageStream<>(1);
        stream.put("first", null);
        CountDownLatch putting = new CountDownLatch(1);
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            putting.countDown();
            try {
                return stream.put("second", null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        putting.await();
        assertThrows(TimeoutException.class, () -> second.get(200, TimeUnit.MILLISECONDS), "nothing dropped, nothing grows");

        assertEquals("first", stream.take());
        assertTrue(second.get(5, TimeUnit.SECONDS));
        assertEquals("second", stream.take());
    }

    @Test
    void closingEndsConsumersNormallyAndRefusesNewMessages() throws Exception {
        MessageStream<String> stream = new MessageStream<>(4);
        stream.put("buffered", null);
        stream.close();
        assertNull(stream.take(), "a closed stream ends; what it buffered is dropped");
        assertFalse(stream.put("late", null), "a closed stream buffers nothing");
        assertTrue(stream.isClosed());
    }

    @Test
    void failingHandsTheCauseToEveryWaitingConsumerAfterTheBufferDrains() throws Exception {
        MessageStream<String> stream = new MessageStream<>(4);
        stream.put("before the loss", null);
        MqttException lost = new MqttException(ReasonCode.SESSION_TAKEN_OVER, "taken over");
        stream.fail(lost);
        assertEquals("before the loss", stream.take());
        assertSame(lost, assertThrows(MqttException.class, stream::take));
        assertSame(lost, assertThrows(MqttException.class, () -> stream.poll(Duration.ofMillis(10))));
    }

    @Test
    void pollReturnsNullWhenNothingComesInTime() throws Exception {
        MessageStream<String> stream = new MessageStream<>(4);
        assertNull(stream.poll(Duration.ZERO));
        assertNull(stream.poll(Duration.ofMillis(20)));
        assertTrue(stream.offer("now", null));
        assertEquals("now", stream.poll(Duration.ZERO));
    }

    @Test
    void theFirstTakeTellsWhoRoutesIntoTheStreamOnceAndBeforeTaking() throws Exception {
        AtomicInteger told = new AtomicInteger();
        MessageStream<String> stream = new MessageStream<>(4, true, IncomingOverflowPolicy.BACKPRESSURE, new LongAdder(),
                started -> {
                    told.incrementAndGet();
                    started.offer("held for it", null);
                    started.markConsumed();
                });
        assertFalse(stream.isConsumed());
        assertEquals("held for it", stream.poll(Duration.ZERO), "the hook runs before the first take");
        assertTrue(stream.isConsumed());
        stream.consume();
        assertNull(stream.poll(Duration.ZERO));
        assertEquals(1, told.get());
    }
}
