package dev.tether.mqtt.internal.codec;

/** How an MQTT 5 property's value is written (MQTT 5, 1.5 and 2.2.2.2). */
public enum PropertyType {
    BYTE,
    TWO_BYTE_INTEGER,
    FOUR_BYTE_INTEGER,
    VARIABLE_BYTE_INTEGER,
    UTF8_STRING,
    BINARY_DATA,
    UTF8_STRING_PAIR;

    /** True for the four integer types, whose values are held as {@code Long}. */
    boolean isInteger() {
        return this == BYTE || this == TWO_BYTE_INTEGER || this == FOUR_BYTE_INTEGER || this == VARIABLE_BYTE_INTEGER;
    }

    /** The largest value an integer type can hold. */
    long maximum() {
        return switch (this) {
            case BYTE -> 0xFF;
            case TWO_BYTE_INTEGER -> 0xFFFF;
            case FOUR_BYTE_INTEGER -> 0xFFFF_FFFFL;
            case VARIABLE_BYTE_INTEGER -> VariableByteInteger.MAXIMUM;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }
}
