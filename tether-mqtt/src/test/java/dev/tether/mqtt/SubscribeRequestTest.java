package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscribeRequestTest {

    @Test
    void withoutAChosenIdentifierTheRequestSaysZero() {
        assertEquals(0, SubscribeRequest.of("a/#", Qos.AT_LEAST_ONCE).subscriptionIdentifier());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 127, 128, 16_384, SubscribeRequest.MAX_SUBSCRIPTION_IDENTIFIER})
    void anIdentifierFromOneToTheLargestVariableByteIntegerIsKept(int identifier) {
        SubscribeRequest request = SubscribeRequest.newBuilder().filter("a/#", Qos.AT_LEAST_ONCE)
                .subscriptionIdentifier(identifier).build();
        assertEquals(identifier, request.subscriptionIdentifier());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, SubscribeRequest.MAX_SUBSCRIPTION_IDENTIFIER + 1})
    void anIdentifierOutOfRangeIsRefusedNamingTheRule(int identifier) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubscribeRequest.newBuilder().subscriptionIdentifier(identifier));
        assertTrue(e.getMessage().contains("3.8.2.1.2") && e.getMessage().contains(String.valueOf(identifier)), e.getMessage());
    }
}
