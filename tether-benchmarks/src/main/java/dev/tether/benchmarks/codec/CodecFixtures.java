package dev.tether.benchmarks.codec;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Subscribe;
import dev.tether.mqtt.internal.codec.TopicSubscription;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The packets the benchmarks encode and decode, all MQTT 5, and a check that they round-trip. */
final class CodecFixtures {

    static final ProtocolVersion VERSION = ProtocolVersion.V5;

    /** Large enough for the 64 KiB PUBLISH. */
    static final int MAXIMUM_PACKET_SIZE = 1 << 20;

    static final String TOPIC = "sensors/device-42/temperature";

    private CodecFixtures() {
    }

    /** A QoS 0 PUBLISH, no properties, with a payload of {@code payloadSize} arbitrary bytes. */
    static Publish publish(int payloadSize) {
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < payloadSize; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        return new Publish(TOPIC, payload, Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY);
    }

    /** A SUBSCRIBE with 10 topic filters of mixed QoS, wildcards and options, no properties. */
    static Subscribe subscribe() {
        List<TopicSubscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String filter = switch (i % 3) {
                case 0 -> "sensors/device-" + i + "/temperature";
                case 1 -> "sensors/device-" + i + "/+";
                default -> "sensors/building-" + i + "/#";
            };
            subscriptions.add(new TopicSubscription(filter, Qos.of(i % 3), i % 2 == 1, i % 4 == 3, i % 3));
        }
        return new Subscribe(1234, subscriptions, Properties.EMPTY);
    }

    /**
     * The packet encoded, checked to decode back to itself, so a benchmark never measures a
     * packet that the codec gets wrong.
     */
    static ByteBuffer encodeChecked(Packet packet) {
        ByteBuffer encoded = new PacketEncoder(VERSION).encode(packet);
        Packet decoded;
        try {
            decoded = new PacketDecoder(VERSION, MAXIMUM_PACKET_SIZE).decode(encoded.duplicate());
        } catch (MalformedPacketException e) {
            throw new IllegalStateException("the benchmark's own " + packet.type() + " does not decode", e);
        }
        if (!packet.equals(decoded)) {
            throw new IllegalStateException("the benchmark's " + packet.type() + " decodes to " + decoded);
        }
        return encoded;
    }
}
