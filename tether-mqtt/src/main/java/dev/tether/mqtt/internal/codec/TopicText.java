package dev.tether.mqtt.internal.codec;

/**
 * The rules topic names and topic filters share, and the wording of their exceptions: what
 * {@code Topic} and {@code TopicFilter} check before a string becomes one. Every check
 * walks the string by index and allocates nothing unless it fails, because topic names arriving
 * with each message are checked on the receive path.
 */
public final class TopicText {

    // [MQTT-4.7.3-3]: the length prefix of a UTF-8 Encoded String is two bytes.
    static final int MAX_UTF8_BYTES = 65_535;

    // Long enough to recognise a topic in a log, short enough not to flood it.
    private static final int SHOWN_CHARS = 120;

    private TopicText() {
    }

    /**
     * Checks what every topic name and topic filter must satisfy: present, 1 to 65,535 bytes of
     * UTF-8, no U+0000, and encodable as UTF-8 at all.
     *
     * @param text the name or filter
     * @param what "topic name" or "topic filter", to start the message with
     */
    public static void checkString(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (text.isEmpty()) {
            // [MQTT-4.7.3-1]
            throw new IllegalArgumentException(what + " must be at least one character long (MQTT-4.7.3-1)");
        }
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                // [MQTT-4.7.3-2]; [MQTT-1.5.4-2] for every UTF-8 string (MQTT-1.5.3-2 in 3.1.1)
                throw invalid(what + " must not contain U+0000 (MQTT-4.7.3-2, MQTT-1.5.4-2)", text);
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                // An unpaired surrogate has no UTF-8 encoding: [MQTT-1.5.4-1] (MQTT-1.5.3-1 in 3.1.1).
                throw invalid(String.format(
                        "%s must be well-formed UTF-16, found an unpaired surrogate U+%04X at index %d"
                                + " (MQTT-1.5.4-1; MQTT-1.5.3-1 in 3.1.1)",
                        what, (int) c, i), text);
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_UTF8_BYTES) {
            // [MQTT-4.7.3-3]
            throw invalid(what + " must encode to at most " + MAX_UTF8_BYTES + " bytes of UTF-8, was "
                    + bytes + " (MQTT-4.7.3-3)", text);
        }
    }

    /**
     * Checks a topic name: the string rules, then no wildcard at all.
     *
     * @param name the topic name
     */
    public static void checkTopicName(String name) {
        checkString(name, "topic name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || c == '#') {
                // [MQTT-3.3.2-2] and [MQTT-4.7.0-1] in 5.0, [MQTT-4.7.1-1] in 3.1.1
                throw invalid("topic name must not contain wildcard '" + c
                        + "' (MQTT-3.3.2-2; MQTT-4.7.1-1 in 3.1.1)", name);
            }
        }
    }

    /**
     * An exception whose message is the broken rule followed by the offending text.
     *
     * @param rule what was broken, with its normative ID
     * @param text the offending name or filter
     * @return the exception, for the caller to throw
     */
    public static IllegalArgumentException invalid(String rule, String text) {
        return new IllegalArgumentException(rule + ": " + show(text));
    }

    /**
     * The text as it can safely appear in a message: cut after about {@code SHOWN_CHARS} chars,
     * with control characters and unpaired surrogates escaped so that logs stay readable.
     *
     * @param text the name or filter
     * @return the text to show
     */
    static String show(String text) {
        int end = Math.min(text.length(), SHOWN_CHARS);
        StringBuilder shown = new StringBuilder(end + 24);
        int i = 0;
        for (; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                // Keep the pair together even when it straddles the cut.
                shown.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                shown.append(String.format("\\u%04X", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (i < text.length()) {
            shown.append("... (").append(text.length()).append(" chars)");
        }
        return shown.toString();
    }
}
