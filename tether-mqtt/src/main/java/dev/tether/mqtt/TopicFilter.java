package dev.tether.mqtt;

import dev.tether.mqtt.internal.codec.TopicText;

/**
 * An MQTT topic filter: what a subscription asks for. {@code +} stands for exactly one level,
 * {@code #} for the level it follows and everything below it, and {@code $share/{ShareName}/}
 * makes the subscription one that several clients share. A {@code TopicFilter} is always valid;
 * its string form is the filter itself.
 *
 * <pre>{@code
 * TopicFilter filter = TopicFilter.of("sport/+/player1");
 * filter.matches("sport/tennis/player1");  // true
 * filter.matches("sport/player1");         // false: + is exactly one level
 * TopicFilter.of("sport/#").matches("sport");      // true: # includes the parent level
 * TopicFilter.of("#").matches("$SYS/uptime");      // false: wildcards skip $ topics
 *
 * TopicFilter shared = TopicFilter.of("$share/workers/jobs/#");
 * shared.shareName();    // "workers"
 * shared.topicFilter();  // "jobs/#"
 * }</pre>
 *
 * @see Topic
 */
public final class TopicFilter {

    private static final String SHARE_PREFIX = "$share/";

    private final String filter;
    private final String shareName;
    // Where the part that is matched against topics starts: after "$share/{ShareName}/", or 0.
    private final int matchFrom;
    private final boolean wildcards;

    private TopicFilter(String filter, String shareName, int matchFrom, boolean wildcards) {
        this.filter = filter;
        this.shareName = shareName;
        this.matchFrom = matchFrom;
        this.wildcards = wildcards;
    }

    /**
     * The topic filter with the given text.
     *
     * @param filter the filter: 1 to 65,535 bytes of UTF-8 without U+0000, where {@code +} is a
     *     whole level and {@code #} the whole last level; optionally prefixed by
     *     {@code $share/{ShareName}/}
     * @return the filter
     * @throws IllegalArgumentException if {@code filter} is null or not a valid topic filter; the
     *     message names the rule broken and shows the filter
     */
    public static TopicFilter of(String filter) {
        TopicText.checkString(filter, "topic filter");
        if (!filter.startsWith(SHARE_PREFIX)) {
            return new TopicFilter(filter, null, 0, checkWildcards(filter, 0));
        }
        int nameStart = SHARE_PREFIX.length();
        int nameEnd = filter.indexOf('/', nameStart);
        if (nameEnd < 0) {
            nameEnd = filter.length();
        }
        if (nameEnd == nameStart) {
            // [MQTT-4.8.2-1]
            throw TopicText.invalid("shared subscription needs a share name of at least one character"
                    + " (MQTT-4.8.2-1)", filter);
        }
        for (int i = nameStart; i < nameEnd; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                // [MQTT-4.8.2-2]; '/' cannot occur, it ends the share name.
                throw TopicText.invalid("share name must not contain '" + c + "' (MQTT-4.8.2-2)", filter);
            }
        }
        if (nameEnd >= filter.length() - 1) {
            // [MQTT-4.8.2-2], and the filter after it must be non-empty [MQTT-4.7.3-1].
            throw TopicText.invalid("share name must be followed by '/' and a topic filter (MQTT-4.8.2-2)",
                    filter);
        }
        int matchFrom = nameEnd + 1;
        return new TopicFilter(filter, filter.substring(nameStart, nameEnd), matchFrom,
                checkWildcards(filter, matchFrom));
    }

    /**
     * Checks where the wildcards of {@code filter}, from index {@code from} on, stand.
     *
     * @return whether there is any wildcard
     */
    private static boolean checkWildcards(String filter, int from) {
        boolean any = false;
        int last = filter.length() - 1;
        for (int i = from; i <= last; i++) {
            char c = filter.charAt(i);
            if (c != '+' && c != '#') {
                continue;
            }
            boolean startsLevel = i == from || filter.charAt(i - 1) == '/';
            if (c == '#' && (!startsLevel || i != last)) {
                // [MQTT-4.7.1-1] in 5.0, [MQTT-4.7.1-2] in 3.1.1
                throw TopicText.invalid("topic filter may use '#' only as the whole last level"
                        + " (MQTT-4.7.1-1; MQTT-4.7.1-2 in 3.1.1)", filter);
            }
            if (c == '+' && (!startsLevel || (i != last && filter.charAt(i + 1) != '/'))) {
                // [MQTT-4.7.1-2] in 5.0, [MQTT-4.7.1-3] in 3.1.1
                throw TopicText.invalid("topic filter may use '+' only as a whole level"
                        + " (MQTT-4.7.1-2; MQTT-4.7.1-3 in 3.1.1)", filter);
            }
            any = true;
        }
        return any;
    }

    /** {@return the whole filter, as given to {@link #of(String)}, {@code $share/} prefix included} */
    public String filter() {
        return filter;
    }

    /** {@return true if this is a shared subscription's filter, {@code $share/{ShareName}/{filter}}} */
    public boolean isShared() {
        return shareName != null;
    }

    /** {@return the ShareName of a shared subscription's filter, or null if it is not shared} */
    public String shareName() {
        return shareName;
    }

    /**
     * The part of the filter that topics are matched against: what follows
     * {@code $share/{ShareName}/} in a shared subscription's filter, otherwise the whole filter.
     *
     * @return the filter without its share prefix
     */
    public String topicFilter() {
        return matchFrom == 0 ? filter : filter.substring(matchFrom);
    }

    /** {@return true if the filter contains {@code +} or {@code #}, so it may match many topics} */
    public boolean hasWildcards() {
        return wildcards;
    }

    /**
     * Whether messages published to the topic match this filter.
     *
     * @param topic the topic
     * @return true if the filter matches the topic
     * @throws NullPointerException if {@code topic} is null
     */
    public boolean matches(Topic topic) {
        return matches(filter, matchFrom, topic.name());
    }

    /**
     * Whether messages published to the named topic match this filter. For a valid name, neither
     * this method nor {@link #matches(Topic)} allocates, so they can run for every incoming message.
     *
     * @param topicName the topic name
     * @return true if the filter matches the topic
     * @throws IllegalArgumentException if {@code topicName} is null or not a valid topic name
     */
    public boolean matches(String topicName) {
        TopicText.checkTopicName(topicName);
        return matches(filter, matchFrom, topicName);
    }

    /**
     * Walks filter and topic level by level, by index, instead of splitting them: this runs for
     * every incoming message and every subscription.
     */
    private static boolean matches(String filter, int from, String topic) {
        int fEnd = filter.length();
        int tEnd = topic.length();
        char first = filter.charAt(from);
        if (topic.charAt(0) == '$' && (first == '#' || first == '+')) {
            // [MQTT-4.7.2-1]: $SYS and the like are only reached by filters that spell out the $.
            return false;
        }
        int f = from;
        int t = 0;
        while (true) {
            // f and t are at the start of a level.
            if (f < fEnd && filter.charAt(f) == '#') {
                return true;
            }
            if (f < fEnd && filter.charAt(f) == '+') {
                f++;
                while (t < tEnd && topic.charAt(t) != '/') {
                    t++;
                }
            } else {
                while (f < fEnd && filter.charAt(f) != '/') {
                    if (t == tEnd || topic.charAt(t) != filter.charAt(f)) {
                        return false;
                    }
                    f++;
                    t++;
                }
                if (t < tEnd && topic.charAt(t) != '/') {
                    return false;
                }
            }
            // Both are at the end of a level: at a '/' or at the end of the string.
            if (f == fEnd) {
                return t == tEnd;
            }
            if (t == tEnd) {
                // "sport/#" matches "sport": # includes the parent level.
                return f + 2 == fEnd && filter.charAt(f + 1) == '#';
            }
            f++;
            t++;
        }
    }

    /**
     * Filters are equal when their texts are: {@code a/+} and {@code $share/g/a/+} differ, since
     * subscribing to them differs.
     *
     * @param other the object to compare with
     * @return true if {@code other} is a {@code TopicFilter} with the same text
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TopicFilter that && filter.equals(that.filter);
    }

    /** {@return the hash code of the filter's text} */
    @Override
    public int hashCode() {
        return filter.hashCode();
    }

    /** {@return the filter's text itself, {@code $share/} prefix included} */
    @Override
    public String toString() {
        return filter;
    }
}
