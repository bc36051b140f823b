package dev.tether.mqtt.internal.client;

import java.time.Duration;
import java.util.Objects;

/** The checks the option holders share: each names the option and the rule it breaks. */
final class Arguments {

    private Arguments() {
    }

    static Duration seconds(Duration value, long minimum, long maximum, String what) {
        long seconds = Objects.requireNonNull(value, what).toSeconds();
        if (value.isNegative() || seconds < minimum || seconds > maximum) {
            throw new IllegalArgumentException(what + " must be " + minimum + " to " + maximum + " seconds, was " + value);
        }
        return Duration.ofSeconds(seconds);
    }

    static int range(int value, int minimum, int maximum, String what) {
        if (value < minimum || value > maximum) {
            throw new IllegalArgumentException(what + " must be " + minimum + " to " + maximum + ", was " + value);
        }
        return value;
    }

    static Duration positive(Duration value, String what) {
        if (Objects.requireNonNull(value, what).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }
}
