package dev.tether.mqtt.internal.codec;

/** The rule for packet identifiers of packets that must have one. */
final class PacketIds {

    private PacketIds() {
    }

    /** Packet identifiers are 1 to 65535; 0 is never valid where one is required [MQTT-2.2.1-3]. */
    static void check(int packetId) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet identifier must be 1 to 65535 [MQTT-2.2.1-3], was " + packetId);
        }
    }
}
