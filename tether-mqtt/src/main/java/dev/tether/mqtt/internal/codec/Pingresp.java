package dev.tether.mqtt.internal.codec;

/** PINGRESP: no body. */
public record Pingresp() implements Packet {

    public static final Pingresp INSTANCE = new Pingresp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
