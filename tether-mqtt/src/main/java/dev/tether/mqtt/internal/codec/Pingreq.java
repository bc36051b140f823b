package dev.tether.mqtt.internal.codec;

/** PINGREQ: no body. */
public record Pingreq() implements Packet {

    public static final Pingreq INSTANCE = new Pingreq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
