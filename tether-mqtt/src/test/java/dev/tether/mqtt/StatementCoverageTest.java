package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every normative statement of MQTT 3.1.1 and 5.0 that binds a client is either proven by a test
 * that names it with {@link Statement}, or explained in {@code CONFORMANCE.md} at the root of the
 * repository; and that file is exactly what this test generates from the two.
 *
 * <p>The statement lists are copies, under {@code src/test/resources/dev/tether/mqtt/conformance},
 * of the reference lists, each naming its source. The explanations are read back from the
 * committed {@code CONFORMANCE.md}: a row whose last cell starts with {@code **not tested:**}.
 * After adding or removing a {@code @Statement}, or editing an explanation, regenerate the file:
 *
 * <pre>{@code
 * mvn -pl tether-mqtt verify -Dtest=StatementCoverageTest -Dtether.conformance.write=true
 * }</pre>
 */
class StatementCoverageTest {

    private static final String FILE = "CONFORMANCE.md";
    private static final String NOT_TESTED = "**not tested:** ";
    private static final Pattern ROW = Pattern.compile("^\\| (MQTT-[0-9.]+-[0-9]+) \\| ([A-Z]) \\| (.*) \\|$");

    /** One version's statements, in the order of its list. */
    private record Version(String name, String resource, Map<String, String[]> statements) {
    }

    @Test
    void everyClientStatementIsProvenByATestOrExplained() throws Exception {
        Version v311 = load("MQTT 3.1.1", "mqtt-3.1.1-client-statements.md");
        Version v5 = load("MQTT 5.0", "mqtt-5-client-statements.md");
        Map<String, Set<String>> tests311 = new TreeMap<>();
        Map<String, Set<String>> tests5 = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Method method : annotatedTestMethods()) {
            String test = name(method);
            for (Statement statement : method.getAnnotationsByType(Statement.class)) {
                collect(statement.v311(), v311, test, tests311, unknown);
                collect(statement.v5(), v5, test, tests5, unknown);
            }
        }
        assertTrue(unknown.isEmpty(), "@Statement names ids that are not client statements of that version: " + unknown);

        Path file = repositoryRoot().resolve(FILE);
        String committed = Files.exists(file) ? Files.readString(file) : "";
        Map<String, Map<String, String>> reasons = reasons(committed);
        List<String> unexplained = new ArrayList<>();
        String generated = generate(List.of(v311, v5), List.of(tests311, tests5), reasons, unexplained);

        if (Boolean.getBoolean("tether.conformance.write")) {
            Files.writeString(file, generated);
        } else if (!generated.equals(committed)) {
            System.out.println(generated);
            fail(FILE + " differs from what the tests and its explanations make (printed above); rewrite it with"
                    + " mvn -pl tether-mqtt verify -Dtest=StatementCoverageTest -Dtether.conformance.write=true");
        }
        assertEquals(List.of(), unexplained, "statements neither proven by a test nor explained in " + FILE
                + " (add a @Statement to the test that proves it, or a reason to its row)");
    }

    private static void collect(String[] ids, Version version, String test, Map<String, Set<String>> tests,
                                List<String> unknown) {
        for (String id : ids) {
            if (!version.statements().containsKey(id)) {
                unknown.add(version.name() + " " + id + " on " + test);
            }
            tests.computeIfAbsent(id, k -> new TreeSet<>()).add(test);
        }
    }

    private static Version load(String name, String resource) throws IOException {
        Map<String, String[]> statements = new LinkedHashMap<>();
        try (InputStream in = StatementCoverageTest.class.getResourceAsStream("conformance/" + resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher row = ROW.matcher(line.strip());
                if (row.matches()) {
                    statements.put(row.group(1), new String[] {row.group(2), row.group(3)});
                }
            }
        }
        assertTrue(statements.size() > 50, "too few statements in " + resource + ": " + statements.size());
        return new Version(name, resource, statements);
    }

    /** Explanations from the committed file: version name → id → reason. */
    private static Map<String, Map<String, String>> reasons(String committed) {
        Map<String, Map<String, String>> reasons = new TreeMap<>();
        String version = null;
        for (String line : committed.split("\n")) {
            if (line.startsWith("## MQTT ")) {
                version = line.substring(3).strip();
            }
            int at = line.indexOf("| " + NOT_TESTED);
            if (version != null && line.startsWith("| MQTT-") && at > 0) {
                String id = line.substring(2, line.indexOf(' ', 2));
                String reason = line.substring(at + 2 + NOT_TESTED.length(), line.length() - 2).strip();
                if (!reason.isEmpty()) {
                    reasons.computeIfAbsent(version, k -> new TreeMap<>()).put(id, reason);
                }
            }
        }
        return reasons;
    }

    private static String generate(List<Version> versions, List<Map<String, Set<String>>> tests,
                                   Map<String, Map<String, String>> reasons, List<String> unexplained) {
        StringBuilder tables = new StringBuilder();
        StringBuilder summary = new StringBuilder("| version | client statements | proven by a test | explained |\n"
                + "| --- | ---: | ---: | ---: |\n");
        for (int i = 0; i < versions.size(); i++) {
            Version version = versions.get(i);
            Map<String, String> explained = reasons.getOrDefault(version.name(), Map.of());
            int covered = 0;
            tables.append("\n## ").append(version.name()).append("\n\n")
                    .append("Statements from `tether-mqtt/src/test/resources/dev/tether/mqtt/conformance/")
                    .append(version.resource()).append("`, which names its source.\n\n")
                    .append("| statement | role | what it asks | proven by, or why not |\n| --- | --- | --- | --- |\n");
            for (Map.Entry<String, String[]> statement : version.statements().entrySet()) {
                String id = statement.getKey();
                Set<String> provenBy = tests.get(i).get(id);
                String last;
                if (provenBy != null) {
                    covered++;
                    last = String.join(", ", provenBy.stream().map(t -> "`" + t + "`").toList());
                } else {
                    String reason = explained.get(id);
                    if (reason == null) {
                        unexplained.add(version.name() + " " + id);
                        reason = "";
                    }
                    last = NOT_TESTED + reason;
                }
                tables.append("| ").append(id).append(" | ").append(statement.getValue()[0]).append(" | ")
                        .append(statement.getValue()[1]).append(" | ").append(last).append(" |\n");
            }
            int total = version.statements().size();
            summary.append("| ").append(version.name()).append(" | ").append(total).append(" | ").append(covered)
                    .append(" | ").append(total - covered).append(" |\n");
        }
        return "# Conformance\n\n"
                + "Each normative statement of MQTT 3.1.1 and MQTT 5.0 that binds a client, and the test that proves\n"
                + "Tether keeps it, or why no test does. Tests name the statements they prove with `@Statement`\n"
                + "(`tether-mqtt/src/test/java/dev/tether/mqtt/Statement.java`); test names are relative to the\n"
                + "package `dev.tether.mqtt`, and a `...Behaviour` class runs against HiveMQ CE and Mosquitto through\n"
                + "its subclasses. Role: **C** the client acts, **B** client and server alike, **I** worded as a\n"
                + "server's check that the client must not give cause for.\n\n"
                + "This file is generated and checked by `StatementCoverageTest`: edit only the reasons after\n"
                + "`" + NOT_TESTED.strip() + "`, then regenerate it with\n"
                + "`mvn -pl tether-mqtt verify -Dtest=StatementCoverageTest -Dtether.conformance.write=true`.\n\n"
                + summary + tables;
    }

    /** Test methods in the compiled test classes that carry {@link Statement}. */
    private static List<Method> annotatedTestMethods() throws IOException, URISyntaxException {
        Path classes = Path.of(StatementCoverageTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Method> methods = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                Class<?> type;
                try {
                    type = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                            StatementCoverageTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue; // not a class this loader can see, e.g. module-info
                }
                for (Method method : type.getDeclaredMethods()) {
                    if (method.getAnnotationsByType(Statement.class).length > 0) {
                        methods.add(method);
                    }
                }
            }
        }
        return methods;
    }

    private static String name(Method method) {
        String type = method.getDeclaringClass().getName().replace('$', '.');
        String prefix = StatementCoverageTest.class.getPackageName() + ".";
        return (type.startsWith(prefix) ? type.substring(prefix.length()) : type) + "#" + method.getName();
    }

    /** The repository's root: the module's parent, where the parent POM lists the modules. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("tether-mqtt")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("no repository root above " + here));
    }
}
