package dev.tether.benchmarks.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keeps the end-to-end harness compiling and working: every library, tiny counts, one run each.
 * Not a measurement. Needs Mosquitto, so it runs with the interop tests ({@code mvn verify -Pinterop}).
 */
@Tag("interop")
class EndToEndSmokeTest {

    @Test
    void everyLibraryDeliversEveryMessageAtEachQos() throws Exception {
        String report = new EndToEnd(Map.ofEntries(
                Map.entry("scenarios", "qos0,qos1,qos2,echo,pingpong,fanin,large,idle"),
                Map.entry("repeats", "1"),
                Map.entry("warmup", "false"),
                Map.entry("qos0.messages", "100"),
                Map.entry("qos1.messages", "100"),
                Map.entry("qos2.messages", "100"),
                Map.entry("fanin.publishers", "5"),
                Map.entry("fanin.messages", "100"),
                Map.entry("pingpong.samples", "20"),
                Map.entry("pingpong.warmup", "5"),
                Map.entry("echo.samples", "20"),
                Map.entry("echo.warmup", "5"),
                Map.entry("large.messages", "2"),
                Map.entry("idle.clients", "3"),
                Map.entry("stall", "5"))).runAll();
        System.out.println(report);
        assertFalse(report.contains("FAIL"), report);
        for (String library : new String[] {"Tether 5", "Tether 3.1.1", "Tether 5 (copy-free)",
                "Tether 3.1.1 (copy-free)", "Paho v3", "Paho v5", "HiveMQ 5", "HiveMQ 3.1.1", "raw socket"}) {
            assertTrue(report.contains("| " + library + " |"), library + " missing from\n" + report);
        }
    }
}
