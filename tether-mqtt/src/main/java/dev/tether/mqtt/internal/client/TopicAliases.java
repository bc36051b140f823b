package dev.tether.mqtt.internal.client;

import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Outgoing topic aliases (MQTT 5): the first PUBLISH to a topic sets an alias, later ones send an
 * empty topic with the alias, up to the broker's Topic Alias Maximum [MQTT-3.3.2-9]; with a
 * maximum of 0 no alias is ever sent [MQTT-3.2.2-18]. Aliases are handed out first come, first
 * served and never replaced. Called under the connection's write lock, so an alias is used only
 * after the packet that set it was written.
 */
final class TopicAliases {

    private final int maximum;
    private final Map<String, Integer> aliases = new HashMap<>();

    TopicAliases(int maximum) {
        this.maximum = maximum;
    }

    /** {@return whether the broker allows aliases at all} Without, a PUBLISH needs no rewriting under the write lock. */
    boolean enabled() {
        return maximum > 0;
    }

    /**
     * The packet as it is to be written: with its topic's alias, setting it on first use.
     *
     * @param fits whether a packet is within the broker's maximum packet size: an alias is not
     *     set by a packet that its alias makes too large, since that packet is refused unsent
     */
    Packet apply(Packet packet, Predicate<Packet> fits) {
        if (maximum == 0 || !(packet instanceof Publish publish) || publish.topic().isEmpty()) {
            return packet;
        }
        Integer alias = aliases.get(publish.topic());
        boolean firstUse = alias == null;
        if (firstUse) {
            if (aliases.size() >= maximum) {
                return packet;
            }
            alias = aliases.size() + 1;
        }
        Properties properties = publish.properties().withInteger(Property.TOPIC_ALIAS, alias);
        Publish aliased = new Publish(firstUse ? publish.topic() : "", publish.payload(), publish.qos(),
                publish.retain(), publish.dup(), publish.packetId(), properties);
        if (firstUse) {
            if (!fits.test(aliased)) {
                return packet;
            }
            aliases.put(publish.topic(), alias);
        }
        return aliased;
    }
}
