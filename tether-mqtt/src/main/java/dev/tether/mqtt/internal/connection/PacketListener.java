package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.internal.codec.Packet;

/** What the connection's reader hands packets to. Never user code: the client's session logic. */
public interface PacketListener {

    /** A packet arrived; called on the reader thread, one at a time, in order. */
    void received(Packet packet) throws MqttException, InterruptedException;

    /** The connection ended; {@code cause} says why, or is null after a close the client asked for. */
    void closed(MqttException cause);
}
