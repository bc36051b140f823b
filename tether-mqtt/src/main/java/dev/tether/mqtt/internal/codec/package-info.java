/**
 * The MQTT 3.1.1 and 5.0 wire format: packets as immutable records, an incremental
 * {@link dev.tether.mqtt.internal.codec.PacketDecoder} that checks sizes before allocating and
 * validates every rule the specifications give a reason code for, and a
 * {@link dev.tether.mqtt.internal.codec.PacketEncoder} that computes the exact size first and
 * writes once. Internal: no compatibility promise.
 */
package dev.tether.mqtt.internal.codec;
