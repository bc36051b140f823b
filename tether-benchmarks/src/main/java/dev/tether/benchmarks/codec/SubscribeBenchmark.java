package dev.tether.benchmarks.codec;

import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Subscribe;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding one MQTT 5 SUBSCRIBE with 10 topic filters (mixed QoS, wildcards and
 * subscription options, no properties): time per packet, and with {@code -prof gc} bytes
 * allocated per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubscribeBenchmark {

    private final PacketEncoder encoder = new PacketEncoder(CodecFixtures.VERSION);
    private final PacketDecoder decoder = new PacketDecoder(CodecFixtures.VERSION, CodecFixtures.MAXIMUM_PACKET_SIZE);
    private Subscribe subscribe;
    private ByteBuffer out;
    private ByteBuffer encoded;

    @Setup
    public void setUp() {
        subscribe = CodecFixtures.subscribe();
        encoded = CodecFixtures.encodeChecked(subscribe);
        out = ByteBuffer.allocate(encoder.size(subscribe));
    }

    /** {@code encode(packet, out)} into one heap buffer of the packet's size, cleared each time. */
    @Benchmark
    public ByteBuffer encodeIntoReusedBuffer() {
        out.clear();
        encoder.encode(subscribe, out);
        return out;
    }

    /** {@code encode(packet)}: sizes the packet, allocates an exact-size heap buffer, writes it. */
    @Benchmark
    public ByteBuffer encodeIntoNewBuffer() {
        return encoder.encode(subscribe);
    }

    /** Rewinds the pre-encoded packet and decodes it into a new {@code Subscribe}. */
    @Benchmark
    public Packet decode() throws MalformedPacketException {
        encoded.rewind();
        return decoder.decode(encoded);
    }
}
