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
 *
 * <p>Every PUBLISH of MQTT 5 carries some (a subscription identifier in, a topic alias out), so
 * they are kept in one exact-size array, built without an intermediate list, and read by index
 * ({@link #size()}, {@link #get(int)}) on the hot paths, without an iterator.
 */
public final class Properties {

    private static final Entry[] NONE = new Entry[0];

    /** No properties; what MQTT 3.1.1 packets always have. */
    public static final Properties EMPTY = new Properties(NONE);

    /** Never changed after construction, never handed out. */
    private final Entry[] entries;

    private Properties(Entry[] entries) {
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
        builder.entries = Arrays.copyOf(entries, entries.length + 1);
        builder.size = entries.length;
        return builder;
    }

    /** {@return these properties and one more, at the end} Checked as {@link Builder#integer} checks. */
    public Properties withInteger(Property property, long value) {
        Builder.checkInteger(property, value);
        Entry[] more = Arrays.copyOf(entries, entries.length + 1);
        more[entries.length] = new Entry(property, value);
        return new Properties(more);
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    /** {@return how many properties there are, repeats counted} */
    public int size() {
        return entries.length;
    }

    /** {@return the property at {@code index}, in wire order} */
    public Entry get(int index) {
        return entries[index];
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(Arrays.asList(entries));
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
        if (!contains(Property.USER_PROPERTY)) {
            return List.of();
        }
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
        Entry[] kept = new Entry[entries.length];
        int count = 0;
        for (Entry entry : entries) {
            if (!drop.contains(entry.property)) {
                kept[count++] = entry;
            }
        }
        return count == entries.length ? this : count == 0 ? EMPTY : new Properties(Arrays.copyOf(kept, count));
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
        return other instanceof Properties that && Arrays.equals(entries, that.entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        return Arrays.toString(entries);
    }

    /**
     * Collects properties in order. It checks each value against its property's type and range,
     * but not which packet the property goes into: the encoder and decoder check that.
     */
    public static final class Builder {
        /*
         * Starts with room for one, the common case (a subscription identifier, a topic alias),
         * and doubles; build() hands over an exact-size array, so one property costs one array.
         */
        private Entry[] entries = new Entry[1];
        private int size;
        /** Set when build() handed {@link #entries} over: the next addition copies it first. */
        private boolean handedOver;

        private Builder() {
        }

        public Builder integer(Property property, long value) {
            checkInteger(property, value);
            return add(property, value);
        }

        static void checkInteger(Property property, long value) {
            if (!property.type().isInteger()) {
                throw new IllegalArgumentException(property.displayName() + " is not an integer property");
            }
            if (value < 0 || value > property.type().maximum()) {
                throw new IllegalArgumentException(property.displayName() + " must be between 0 and "
                        + property.type().maximum() + ", was " + value);
            }
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
            if (size == entries.length || handedOver) {
                entries = Arrays.copyOf(entries, Math.max(1, size * 2));
                handedOver = false;
            }
            entries[size++] = new Entry(property, value);
            return this;
        }

        /** The properties added so far; the builder may go on adding, without changing them. */
        public Properties build() {
            if (size == 0) {
                return EMPTY;
            }
            if (size < entries.length) {
                entries = Arrays.copyOf(entries, size);
            }
            handedOver = true;
            return new Properties(entries);
        }
    }
}
