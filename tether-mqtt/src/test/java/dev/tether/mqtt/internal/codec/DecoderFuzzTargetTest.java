package dev.tether.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.mqtt.ProtocolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzz targets for the decoder, one per protocol version, checking the invariants
 * of {@link DecoderInvariants} on every input Jazzer makes.
 *
 * <p>A plain {@code mvn verify} runs them in Jazzer's regression mode: once on the empty input and
 * once on each file of the seed corpus in {@code src/test/resources/dev/tether/mqtt/internal/codec/
 * DecoderFuzzTargetTestInputs/<method>/}, one valid packet per file, and on any crashing input
 * Jazzer saved there. {@code JAZZER_FUZZ=1} fuzzes one target instead; see CONTRIBUTING.md.
 *
 * <p>The corpus is {@link CodecSeeds} encoded; {@link #seedCorpusHoldsEveryPacketTypeAndEachFileDecodes}
 * keeps the two in step. After changing the seeds, rewrite the corpus with
 * {@code mvn -pl tether-mqtt test -Dtest=DecoderFuzzTargetTest#seedCorpus* -Dtether.fuzz.writeCorpus=true}.
 */
class DecoderFuzzTargetTest {

    private static final int MAXIMUM_PACKET_SIZE = 4096;
    /** How Jazzer names the inputs it saves: crash-, timeout-, slow-unit-... and a SHA-1. */
    private static final Pattern FINDING = Pattern.compile("(crash|timeout|slow-unit|oom|leak)-.*");
    /** Whether Jazzer fuzzes in this run: JAZZER_FUZZ set to true, 1 or yes, as Jazzer reads it. */
    private static final boolean FUZZING = Stream.of(System.getenv("JAZZER_FUZZ"), System.getProperty("JAZZER_FUZZ"))
            .anyMatch(value -> value != null && (value.equalsIgnoreCase("true") || value.equals("1")
                    || value.equalsIgnoreCase("yes")));
    private static final Path CORPUS = Path.of("src/test/resources/dev/tether/mqtt/internal/codec",
            DecoderFuzzTargetTest.class.getSimpleName() + "Inputs");

    @FuzzTest(maxDuration = "10m")
    void decodeMqtt5(byte[] input) {
        check(ProtocolVersion.V5, input);
    }

    @FuzzTest(maxDuration = "10m")
    void decodeMqtt311(byte[] input) {
        check(ProtocolVersion.V3_1_1, input);
    }

    /**
     * Chunk sizes and buffer kinds come from the input itself, so a finding replays exactly. A
     * replay of the corpus fails on an input that takes over 10 s; while fuzzing, libFuzzer's
     * {@code -timeout} does that job (a JUnit {@code @Timeout} would end the whole fuzzing run).
     */
    private static void check(ProtocolVersion version, byte[] input) {
        Runnable check = () -> DecoderInvariants.check(version, MAXIMUM_PACKET_SIZE, input,
                new Random(Arrays.hashCode(input)));
        if (FUZZING) {
            check.run();
        } else {
            assertTimeoutPreemptively(Duration.ofSeconds(10), check::run, "the decoder hung on this input");
        }
    }

    @Test
    void seedCorpusHoldsEveryPacketTypeAndEachFileDecodes() throws IOException {
        if (Boolean.getBoolean("tether.fuzz.writeCorpus")) {
            writeCorpus();
        }
        List<String> targets = Stream.of(DecoderFuzzTargetTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(FuzzTest.class)).map(m -> m.getName()).sorted().toList();
        assertEquals(List.of(directory(ProtocolVersion.V3_1_1).getFileName().toString(),
                directory(ProtocolVersion.V5).getFileName().toString()), targets, "a corpus directory for each target");
        for (ProtocolVersion version : ProtocolVersion.values()) {
            Path directory = directory(version);
            Map<String, byte[]> files = seedFiles(directory);
            Map<String, byte[]> expected = new TreeMap<>();
            CodecSeeds.of(version).forEach(seed -> expected.put(seed.name(), seed.bytes()));
            assertEquals(expected.keySet(), files.keySet(), () -> directory + " and CodecSeeds differ;"
                    + " rewrite the corpus with -Dtether.fuzz.writeCorpus=true");
            Set<PacketType> types = EnumSet.noneOf(PacketType.class);
            for (var file : files.entrySet()) {
                assertArrayEquals(expected.get(file.getKey()), file.getValue(), () -> directory + "/" + file.getKey()
                        + " differs from CodecSeeds; rewrite the corpus with -Dtether.fuzz.writeCorpus=true");
                DecoderInvariants.Outcome outcome = DecoderInvariants.check(version, MAXIMUM_PACKET_SIZE, file.getValue(),
                        new Random(0));
                assertNull(outcome.failure(), file.getKey());
                assertFalse(outcome.midPacket(), file.getKey());
                assertEquals(1, outcome.packets().size(), file.getKey());
                types.add(outcome.packets().get(0).type());
            }
            Set<PacketType> allTypes = EnumSet.allOf(PacketType.class);
            if (version == ProtocolVersion.V3_1_1) {
                allTypes.remove(PacketType.AUTH);
            }
            assertEquals(allTypes, types, () -> version + " seed corpus in " + directory);
        }
    }

    /** The seed files of a corpus directory by name, leaving out the findings Jazzer saved there. */
    private static Map<String, byte[]> seedFiles(Path directory) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(directory)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (!FINDING.matcher(name).matches()) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    private static Path directory(ProtocolVersion version) {
        return CORPUS.resolve(version == ProtocolVersion.V5 ? "decodeMqtt5" : "decodeMqtt311");
    }

    private static void writeCorpus() throws IOException {
        for (ProtocolVersion version : ProtocolVersion.values()) {
            Path directory = Files.createDirectories(directory(version));
            for (String stale : seedFiles(directory).keySet()) {
                Files.delete(directory.resolve(stale));
            }
            for (CodecSeeds.Seed seed : CodecSeeds.of(version)) {
                Files.write(directory.resolve(seed.name()), seed.bytes());
            }
        }
    }
}
