package dev.tether.benchmarks.codec;

import dev.tether.mqtt.internal.codec.MalformedPacketException;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one MQTT 5 QoS 0 PUBLISH (topic {@value CodecFixtures#TOPIC}, no properties) with a
 * 16 B, 1 KiB or 64 KiB payload from a heap buffer that holds the whole packet, the decoder's
 * in-place path: time per packet, and with {@code -prof gc} bytes allocated per packet. The
 * target is that only the {@code Publish}, its topic {@code String} and its payload array are
 * allocated. One decoder is reused, as a connection reuses its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishDecodeBenchmark {

    @Param({"16", "1024", "65536"})
    int payloadSize;

    private final PacketDecoder decoder = new PacketDecoder(CodecFixtures.VERSION, CodecFixtures.MAXIMUM_PACKET_SIZE);
    private ByteBuffer encoded;

    @Setup
    public void setUp() {
        encoded = CodecFixtures.encodeChecked(CodecFixtures.publish(payloadSize));
    }

    /** Rewinds the pre-encoded packet (no new buffer) and decodes it into a new {@code Publish}. */
    @Benchmark
    public Packet decode() throws MalformedPacketException {
        encoded.rewind();
        return decoder.decode(encoded);
    }
}
