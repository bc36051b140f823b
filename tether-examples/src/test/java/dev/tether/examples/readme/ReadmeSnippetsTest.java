package dev.tether.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Java examples are copies of regions of the classes in this package, which the
 * build compiles and whose tests run them against a broker. A code block preceded by
 * {@code <!-- snippet: File.java#name -->} must equal the region between {@code // snippet name}
 * and {@code // end snippet} in that file, indentation removed; every region must appear in the
 * README. The README's examples talk to a broker on localhost, the regions to the test's broker:
 * {@code LOCALHOST} reads as {@code "localhost"}, {@code newBuilderForLocalhost()} as
 * {@code MqttClient.newBuilder()}.
 */
class ReadmeSnippetsTest {

    static final Path README = Path.of("..", "README.md");
    static final Path SOURCES = Path.of("src", "test", "java", "dev", "tether", "examples", "readme");

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([\\w.]+\\.java)#([\\w-]+) -->\\s*\\n```java\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("^[ \\t]*// snippet ([\\w-]+)\\n(.*?)^[ \\t]*// end snippet$",
            Pattern.DOTALL | Pattern.MULTILINE);
    private static final Map<String, String> AS_SHOWN = Map.of(
            "newBuilderForLocalhost()", "MqttClient.newBuilder()",
            "LOCALHOST", "\"localhost\"");

    @Test
    void everyMarkedExampleIsACopyOfItsCompiledRegion() throws IOException {
        String readme = Files.readString(README);
        Matcher marked = MARKER.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (marked.find()) {
            String file = marked.group(1);
            String name = marked.group(2);
            String region = regions(SOURCES.resolve(file)).get(name);
            if (region == null) {
                fail("README names snippet " + name + " in " + file + ", which has no such region");
            }
            assertEquals(region, marked.group(3), "the README's copy of " + file + "#" + name
                    + " differs from the compiled code: copy the region into the README again");
            checked.add(file + "#" + name);
        }
        assertFalse(checked.isEmpty(), "no snippet markers found in " + README.toAbsolutePath());
    }

    @Test
    void everyRegionIsInTheReadme() throws IOException {
        String readme = Files.readString(README);
        try (var files = Files.list(SOURCES)) {
            for (Path file : files.toList()) {
                for (String name : regions(file).keySet()) {
                    assertTrue(readme.contains("<!-- snippet: " + file.getFileName() + "#" + name + " -->"),
                            file.getFileName() + "#" + name + " is not shown in the README");
                }
            }
        }
    }

    /** The regions of a file by name, without their common indentation, as the README shows them. */
    static Map<String, String> regions(Path file) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher region = REGION.matcher(Files.readString(file));
        while (region.find()) {
            regions.put(region.group(1), asShown(dedent(region.group(2))));
        }
        return regions;
    }

    private static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static String asShown(String code) {
        String shown = code;
        for (Map.Entry<String, String> entry : AS_SHOWN.entrySet()) {
            shown = shown.replace(entry.getKey(), entry.getValue());
        }
        return shown;
    }
}
