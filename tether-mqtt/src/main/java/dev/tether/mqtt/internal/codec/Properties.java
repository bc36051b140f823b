package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.UserProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 properties of a packet or will, in wire order: integers as {@code Long}, strings,
 * binary data as {@code byte[]}, user properties as {@link UserProperty}. Order and repeats of
 * user properties are kept. Immutable: binary values are copied in and out.
 */
public final class Properties {

    /** No properties; what MQTT 3.1.1 packets always have. */
    public static final Properties EMPTY = new Properties(List.of());

    private final List<Entry> entries;

    private Properties(List<Entry> entries) {
        this.entries = entries;
    }

    /** One property and its value. */
    public record Entry(Property property, Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Entry that && property == that.property
                    && (value instanceof byte[] bytes && that.value instanceof byte[] thatBytes
                            ? Arrays.equals(bytes, thatBytes)
                            : value.equals(that.value));
        }

        @Override
        public int hashCode() {
            return 31 * property.hashCode() + (value instanceof byte[] bytes ? Arrays.hashCode(bytes) : value.hashCode());
        }

        @Override
        public String toString() {
            return property + "=" + (value instanceof byte[] bytes ? bytes.length + " bytes" : value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder that starts with these properties, to add more} */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.entries.addAll(entries);
        return builder;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean contains(Property property) {
        for (Entry entry : entries) {
            if (entry.property == property) {
                return true;
            }
        }
        return false;
    }

    /** The value of an integer property, or {@code absent} when it is not there. */
    public long integer(Property property, long absent) {
        Object value = first(property);
        return value == null ? absent : (Long) value;
    }

    /** The value of a string property, or null. */
    public String string(Property property) {
        return (String) first(property);
    }

    /** A copy of the value of a binary property, or null. */
    public byte[] binary(Property property) {
        byte[] value = (byte[]) first(property);
        return value == null ? null : value.clone();
    }

    public List<UserProperty> userProperties() {
        List<UserProperty> result = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.property == Property.USER_PROPERTY) {
                result.add((UserProperty) entry.value);
            }
        }
        return result;
    }

    /** Every value of a repeatable integer property, such as the subscription identifiers of a PUBLISH. */
    public List<Long> integers(Property property) {
        List<Long> result = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.property == property) {
                result.add((Long) entry.value);
            }
        }
        return result;
    }

    /** These properties without any of the given ones (for dropping reason strings and user properties). */
    public Properties without(Property... dropped) {
        List<Property> drop = List.of(dropped);
        List<Entry> kept = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (!drop.contains(entry.property)) {
                kept.add(entry);
            }
        }
        return kept.size() == entries.size() ? this : kept.isEmpty() ? EMPTY : new Properties(Collections.unmodifiableList(kept));
    }

    private Object first(Property property) {
        for (Entry entry : entries) {
            if (entry.property == property) {
                return entry.value;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Properties that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /**
     * Collects properties in order. It checks each value against its property's type and range,
     * but not which packet the property goes into: the encoder and decoder check that.
     */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        public Builder integer(Property property, long value) {
            if (!property.type().isInteger()) {
                throw new IllegalArgumentException(property.displayName() + " is not an integer property");
            }
            if (value < 0 || value > property.type().maximum()) {
                throw new IllegalArgumentException(property.displayName() + " must be between 0 and "
                        + property.type().maximum() + ", was " + value);
            }
            return add(property, value);
        }

        public Builder string(Property property, String value) {
            if (property.type() != PropertyType.UTF8_STRING) {
                throw new IllegalArgumentException(property.displayName() + " is not a string property");
            }
            return add(property, Objects.requireNonNull(value, property.displayName()));
        }

        public Builder binary(Property property, byte[] value) {
            if (property.type() != PropertyType.BINARY_DATA) {
                throw new IllegalArgumentException(property.displayName() + " is not a binary property");
            }
            return add(property, Objects.requireNonNull(value, property.displayName()).clone());
        }

        public Builder userProperty(String name, String value) {
            return add(Property.USER_PROPERTY, new UserProperty(name, value));
        }

        public Builder userProperty(UserProperty userProperty) {
            return add(Property.USER_PROPERTY, Objects.requireNonNull(userProperty, "user property"));
        }

        /** Adds a value already of the right Java type; the decoder's path, without copies. */
        Builder add(Property property, Object value) {
            entries.add(new Entry(property, value));
            return this;
        }

        public Properties build() {
            return entries.isEmpty() ? EMPTY : new Properties(List.copyOf(entries));
        }
    }
}
