package dev.tether.benchmarks.codec;

import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Publish;
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
 * Encoding one MQTT 5 QoS 0 PUBLISH (topic {@value CodecFixtures#TOPIC}, no properties) with a
 * 16 B, 1 KiB or 64 KiB payload: time per packet, and with {@code -prof gc} bytes allocated per
 * packet. Encoding into a reused buffer should allocate nothing; encoding into a new buffer
 * should allocate only that buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishEncodeBenchmark {

    @Param({"16", "1024", "65536"})
    int payloadSize;

    private final PacketEncoder encoder = new PacketEncoder(CodecFixtures.VERSION);
    private Publish publish;
    private ByteBuffer out;

    @Setup
    public void setUp() {
        publish = CodecFixtures.publish(payloadSize);
        CodecFixtures.encodeChecked(publish);
        out = ByteBuffer.allocate(encoder.size(publish));
    }

    /** {@code encode(packet, out)} into one heap buffer of the packet's size, cleared each time. */
    @Benchmark
    public ByteBuffer intoReusedBuffer() {
        out.clear();
        encoder.encode(publish, out);
        return out;
    }

    /** {@code encode(packet)}: sizes the packet, allocates an exact-size heap buffer, writes it. */
    @Benchmark
    public ByteBuffer intoNewBuffer() {
        return encoder.encode(publish);
    }
}
