package dev.tether.mqtt;

import dev.tether.mqtt.internal.codec.TopicText;
import java.util.List;

/**
 * An MQTT topic name: where a message is published. A {@code Topic} is always valid, so code that
 * holds one never has to check it again; its string form is the name itself.
 *
 * <pre>{@code
 * Topic topic = Topic.of("sport/tennis/player1");
 * topic.levels();                  // [sport, tennis, player1]
 * topic.matches("sport/+/player1"); // true
 * topic.matches("sport/#");        // true
 * Topic.of("sport/+");             // IllegalArgumentException: no wildcards in a topic name
 * }</pre>
 *
 * @see TopicFilter
 */
public final class Topic {

    private final String name;

    private Topic(String name) {
        this.name = name;
    }

    /**
     * The topic with the given name.
     *
     * @param name the topic name: 1 to 65,535 bytes of UTF-8, without {@code +}, {@code #} or
     *     U+0000; levels are separated by {@code /} and may be empty
     * @return the topic
     * @throws IllegalArgumentException if {@code name} is null or not a valid topic name; the
     *     message names the rule broken and shows the name
     */
    public static Topic of(String name) {
        TopicText.checkTopicName(name);
        return new Topic(name);
    }

    /**
     * The topic of an incoming PUBLISH, whose name the decoder has already checked against every
     * rule {@link #of} checks (well-formed UTF-8 without U+0000 [MQTT-1.5.4-1, MQTT-1.5.4-2], no
     * wildcard [MQTT-3.3.2-2]); checking it again cost about 5 % of the client's time receiving
     * small messages.
     */
    static Topic decoded(String name) {
        return new Topic(name);
    }

    /** {@return the topic name, as given to {@link #of(String)}} */
    public String name() {
        return name;
    }

    /**
     * The levels of the name, split on {@code /}. Empty levels are kept, so {@code "/a//b/"} has
     * five levels: {@code "", "a", "", "b", ""}.
     *
     * @return the levels, unmodifiable, never empty
     */
    public List<String> levels() {
        return List.of(name.split("/", -1));
    }

    /**
     * Whether this is a topic a broker reserves for itself, such as {@code $SYS/broker/uptime}.
     * Filters that start with a wildcard do not match such topics.
     *
     * @return true if the name starts with {@code $}
     */
    public boolean isSystem() {
        return name.charAt(0) == '$';
    }

    /**
     * Whether a subscription to the given filter receives messages published to this topic. The
     * filter is parsed on every call; to test many topics, parse it once with
     * {@link TopicFilter#of(String)}.
     *
     * @param filter a topic filter, possibly with wildcards or a {@code $share/} prefix
     * @return true if the filter matches this topic
     * @throws IllegalArgumentException if {@code filter} is not a valid topic filter
     */
    public boolean matches(String filter) {
        return TopicFilter.of(filter).matches(this);
    }

    /**
     * Whether a subscription to the given filter receives messages published to this topic.
     *
     * @param filter the topic filter
     * @return true if the filter matches this topic
     * @throws NullPointerException if {@code filter} is null
     */
    public boolean matches(TopicFilter filter) {
        return filter.matches(this);
    }

    /**
     * Topics are equal when their names are equal, character for character: MQTT compares topic
     * names without normalising them [MQTT-4.7.3-4].
     *
     * @param other the object to compare with
     * @return true if {@code other} is a {@code Topic} with the same name
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Topic topic && name.equals(topic.name);
    }

    /** {@return the hash code of the name} */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** {@return the topic name itself, so that a {@code Topic} can stand in for a string} */
    @Override
    public String toString() {
        return name;
    }
}
