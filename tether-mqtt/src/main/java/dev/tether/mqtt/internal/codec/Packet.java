package dev.tether.mqtt.internal.codec;

/**
 * An MQTT control packet as it is on the wire, one record per type. Records hold exactly what the
 * wire holds; protocol rules that span packets (aliases, packet identifiers in use) are the
 * session's business, not the codec's.
 */
public sealed interface Packet
        permits Connect, Connack, Publish, Puback, Pubrec, Pubrel, Pubcomp, Subscribe, Suback,
                Unsubscribe, Unsuback, Pingreq, Pingresp, Disconnect, Auth {

    /** The packet's type. */
    PacketType type();
}
