package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.UserProperty;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Properties} keeps its entries in one array that a builder hands over: what was built never changes. */
class PropertiesTest {

    @Test
    void aBuilderUsedAgainAfterBuildLeavesWhatItBuiltAsItWas() {
        Properties.Builder builder = Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, 7);
        Properties first = builder.build();
        Properties second = builder.string(Property.CONTENT_TYPE, "text/plain").build();
        Properties third = builder.userProperty("a", "b").build();

        assertEquals(1, first.size());
        assertEquals(7, first.integer(Property.SUBSCRIPTION_IDENTIFIER, 0));
        assertEquals(2, second.size());
        assertEquals(3, third.size());
        assertEquals(List.of(new UserProperty("a", "b")), third.userProperties());
        assertEquals(List.of(), second.userProperties());
    }

    @Test
    void entriesKeepWireOrderAndRepeats() {
        Properties properties = Properties.builder().userProperty("k", "1").integer(Property.SUBSCRIPTION_IDENTIFIER, 3)
                .userProperty("k", "2").integer(Property.SUBSCRIPTION_IDENTIFIER, 4).build();

        assertEquals(List.of(3L, 4L), properties.integers(Property.SUBSCRIPTION_IDENTIFIER));
        assertEquals(List.of(new UserProperty("k", "1"), new UserProperty("k", "2")), properties.userProperties());
        assertEquals(Property.SUBSCRIPTION_IDENTIFIER, properties.get(3).property());
        assertEquals(properties.entries(), List.of(properties.get(0), properties.get(1), properties.get(2), properties.get(3)));
        assertThrows(UnsupportedOperationException.class, () -> properties.entries().clear());
    }

    @Test
    void withIntegerAddsOneAtTheEndAndChecksTheRange() {
        Properties base = Properties.builder().string(Property.CONTENT_TYPE, "json").build();
        Properties aliased = base.withInteger(Property.TOPIC_ALIAS, 5);

        assertEquals(1, base.size());
        assertEquals(2, aliased.size());
        assertEquals(5, aliased.integer(Property.TOPIC_ALIAS, 0));
        assertEquals(Properties.builder().string(Property.CONTENT_TYPE, "json").integer(Property.TOPIC_ALIAS, 5).build(), aliased);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base.withInteger(Property.TOPIC_ALIAS, 70_000));
        assertTrue(e.getMessage().contains("Topic Alias must be between 0 and 65535"), e.getMessage());
    }

    @Test
    void withoutDropsOnlyTheNamedProperties() {
        Properties properties = Properties.builder().string(Property.REASON_STRING, "why").userProperty("k", "v")
                .integer(Property.SESSION_EXPIRY_INTERVAL, 10).build();

        assertEquals(Properties.builder().integer(Property.SESSION_EXPIRY_INTERVAL, 10).build(),
                properties.without(Property.REASON_STRING, Property.USER_PROPERTY));
        assertSame(properties, properties.without(Property.CONTENT_TYPE));
        assertSame(Properties.EMPTY, properties.without(Property.REASON_STRING, Property.USER_PROPERTY,
                Property.SESSION_EXPIRY_INTERVAL));
        assertTrue(Properties.builder().build().isEmpty());
    }
}
