package dev.tether.mqtt.internal.codec;

import dev.tether.mqtt.ProtocolVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden vectors: packets captured between mosquitto 2.0.11 and its command line clients
 * ({@code golden/v311}, {@code golden/v5}), packets from the specifications' examples
 * ({@code golden/spec/v311}, {@code golden/spec/v5}), and PUBLISH packets generated at the
 * remaining length boundaries of MQTT 3.1.1 Table 2.4 and MQTT 5.0 Table 1-1.
 *
 * <p>A {@code .hex} file holds one packet as hexadecimal digits; whitespace is ignored and lines
 * starting with {@code #} are comments. The first line says where the packet came from. A line
 * {@code # not canonical: why} marks a legal packet our encoder writes in another form, which a
 * line {@code # canonical form: hex} then gives.
 */
final class GoldenVectors {

    private static final String FOLDER = "dev/tether/mqtt/internal/codec/golden";
    private static final String NOT_CANONICAL = "# not canonical:";
    private static final String CANONICAL_FORM = "# canonical form:";

    /**
     * The boundaries of the remaining length field and their encodings exactly as the tables
     * print them (MQTT 3.1.1, 2.2.3 Table 2.4; MQTT 5.0, 1.5.5 Table 1-1). 0 is the remaining
     * length of PINGREQ, PINGRESP and DISCONNECT, which the captures hold; 268,435,455 would need a
     * 256 MiB packet and is tested on the length field alone (RemainingLengthTest).
     */
    static final List<Boundary> REMAINING_LENGTH_BOUNDARIES = List.of(
            new Boundary(127, "7f"),
            new Boundary(128, "80 01"),
            new Boundary(16_383, "ff 7f"),
            new Boundary(16_384, "80 80 01"),
            new Boundary(2_097_151, "ff ff 7f"),
            new Boundary(2_097_152, "80 80 80 01"));

    /** A remaining length and its bytes on the wire, as a table of the specification prints them. */
    record Boundary(int remainingLength, String encoding) {
        byte[] bytes() {
            return HexFormat.of().parseHex(encoding.replace(" ", ""));
        }
    }

    private static List<GoldenVector> all;

    private GoldenVectors() {
    }

    /** Every vector: files first, in path order, then the generated boundary packets. */
    static synchronized List<GoldenVector> all() {
        if (all == null) {
            List<GoldenVector> vectors = new ArrayList<>(files());
            for (ProtocolVersion version : ProtocolVersion.values()) {
                for (Boundary boundary : REMAINING_LENGTH_BOUNDARIES) {
                    vectors.add(remainingLengthBoundary(version, boundary));
                }
            }
            all = List.copyOf(vectors);
        }
        return all;
    }

    static Stream<GoldenVector> stream() {
        return all().stream();
    }

    static List<GoldenVector> of(ProtocolVersion version) {
        return all().stream().filter(vector -> vector.version() == version).toList();
    }

    /** The vector read from {@code golden/<name>.hex}. */
    static GoldenVector named(String name) {
        return all().stream().filter(vector -> vector.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no golden vector " + name));
    }

    private static List<GoldenVector> files() {
        URL url = GoldenVectors.class.getClassLoader().getResource(FOLDER);
        if (url == null) {
            throw new IllegalStateException(FOLDER + " is not on the test class path");
        }
        try (Stream<Path> paths = Files.walk(Path.of(url.toURI()))) {
            Path root = Path.of(url.toURI());
            List<GoldenVector> vectors = new ArrayList<>();
            for (Path path : paths.filter(p -> p.toString().endsWith(".hex")).sorted().toList()) {
                String name = root.relativize(path).toString().replace('\\', '/').replaceAll("\\.hex$", "");
                vectors.add(parse(name, Files.readAllLines(path, StandardCharsets.UTF_8)));
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static GoldenVector parse(String name, List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            throw new IllegalArgumentException(name + ": the first line must be a comment saying where the packet came from");
        }
        String[] folders = name.split("/");
        ProtocolVersion version = switch (folders.length < 2 ? "" : folders[folders.length - 2]) {
            case "v311" -> ProtocolVersion.V3_1_1;
            case "v5" -> ProtocolVersion.V5;
            default -> throw new IllegalArgumentException(name + ": the folder must be v311 or v5");
        };
        String notCanonical = null;
        byte[] canonicalForm = null;
        StringBuilder hex = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith(NOT_CANONICAL)) {
                notCanonical = trimmed.substring(NOT_CANONICAL.length()).strip();
            } else if (trimmed.startsWith(CANONICAL_FORM)) {
                canonicalForm = HexFormat.of().parseHex(trimmed.substring(CANONICAL_FORM.length()).replaceAll("\\s+", ""));
            } else if (!trimmed.startsWith("#")) {
                hex.append(trimmed.replaceAll("\\s+", ""));
            }
        }
        if ((notCanonical == null) != (canonicalForm == null)) {
            throw new IllegalArgumentException(name + ": a '" + NOT_CANONICAL + "' line needs a '" + CANONICAL_FORM
                    + "' line, and the other way round");
        }
        byte[] bytes = HexFormat.of().parseHex(hex);
        if (bytes.length < 2) {
            throw new IllegalArgumentException(name + ": a packet has at least two bytes");
        }
        return new GoldenVector(name, version, bytes, lines.get(0).substring(2), notCanonical, canonicalForm);
    }

    /**
     * A QoS 0 PUBLISH to topic "a" whose remaining length is exactly the boundary value, its
     * length field written as the table prints it; the payload fills the rest with bytes that
     * do not repeat every 256 (i * 31 mod 251), so a shifted copy shows.
     */
    private static GoldenVector remainingLengthBoundary(ProtocolVersion version, Boundary boundary) {
        boolean v5 = version == ProtocolVersion.V5;
        ByteArrayOutputStream out = new ByteArrayOutputStream(boundary.remainingLength() + 5);
        out.write(0x30);
        out.writeBytes(boundary.bytes());
        out.writeBytes(new byte[] {0x00, 0x01, 'a'});
        if (v5) {
            out.write(0x00); // property length 0
        }
        int payload = boundary.remainingLength() - (v5 ? 4 : 3);
        for (int i = 0; i < payload; i++) {
            out.write(i * 31 % 251);
        }
        String table = v5 ? "MQTT 5.0, 1.5.5 Table 1-1" : "MQTT 3.1.1, 2.2.3 Table 2.4";
        String folder = v5 ? "v5" : "v311";
        return new GoldenVector("generated/" + folder + "/publish-remaining-length-" + boundary.remainingLength(),
                version, out.toByteArray(), "generated from " + table + ": remaining length "
                + boundary.remainingLength() + " is " + boundary.encoding(), null, null);
    }
}
