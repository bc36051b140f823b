package dev.tether.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end benchmark: the same scenarios through a fresh Mosquitto with each library, in
 * the same JVM and the same run, libraries interleaved (the order rotates each repeat), every
 * message verified; one table of medians at the end.
 *
 * <pre>
 * java -jar tether-benchmarks/target/e2e.jar [key=value ...]
 *   scenarios=qos0,qos1,qos2,echo,pingpong,fanin,shared,large,idle   which, in this order
 *   libraries=tether5,tether3,tether5-copyfree,tether3-copyfree,pahov3,pahov5,hivemq,hivemq3,raw
 *                        tether5 and tether3 as the README writes them, -copyfree with the copy-free methods
 *   repeats=3            measured runs per library and scenario (the median is shown)
 *   warmup=true          one unmeasured run per library and scenario first (a fifth of the count;
 *                        idle: a tenth of the clients connected and closed)
 *   window=100           QoS 1/2 publishes outstanding per publisher, for every library
 *   size=256             payload bytes (qos0, qos1, qos2, fanin, echo, pingpong)
 *   qos0.messages=50000 qos1.messages=20000 qos2.messages=10000
 *   fanin.publishers=50 fanin.messages=50000 (in all) fanin.qos=0
 *   shared.threads=50 shared.messages=50000 (in all) shared.qos=1   threads publishing through one client
 *   pingpong.samples=5000 pingpong.warmup=1000 echo.samples=5000 echo.warmup=1000
 *   large.size=1048576 large.messages=50 large.qos=1 large.window=16
 *   idle.clients=10000 idle.pahov3=100 idle.pahov5=100 (Paho: 4 platform threads and ~300 ms per connect)
 *   stall=5              seconds without a message before the subscriber is declared done
 * </pre>
 */
public final class EndToEnd {

    private final Options options;
    private final List<Library> libraries;
    private final Report report = new Report();

    EndToEnd(Map<String, String> config) {
        this.options = new Options(config);
        this.libraries = options.libraries();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = Options.parse(args);
        // Tether logs each connection at INFO: 10,000 lines in the idle scenario.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        EndToEnd run = new EndToEnd(config);
        String report = run.runAll();
        System.out.println();
        System.out.println(report);
        // Library threads (Paho's timers, Netty's event loops) must not keep the JVM alive.
        System.exit(report.contains("FAIL") ? 1 : 0);
    }

    /** Runs the chosen scenarios and returns the table (Markdown). */
    String runAll() throws Exception {
        System.out.printf("JVM %s %s, %d CPUs, max heap %d MiB, flags %s%n", System.getProperty("java.vm.name"),
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        ThroughputScenario throughput = new ThroughputScenario(options, libraries, report);
        for (String scenario : options.string("scenarios", "qos0,qos1,qos2,echo,pingpong,fanin,large,idle").split(",")) {
            switch (scenario.trim()) {
                case "qos0" -> throughput.run("QoS 0, 1 → 1", 1, integer("qos0.messages", 50_000), integer("size", 256), 0,
                        integer("window", 100), false);
                case "qos1" -> throughput.run("QoS 1, 1 → 1", 1, integer("qos1.messages", 20_000), integer("size", 256), 1,
                        integer("window", 100), false);
                case "qos2" -> throughput.run("QoS 2, 1 → 1", 1, integer("qos2.messages", 10_000), integer("size", 256), 2,
                        integer("window", 100), false);
                case "fanin" -> {
                    int publishers = integer("fanin.publishers", 50);
                    throughput.run("fan-in QoS " + integer("fanin.qos", 0) + ", " + publishers + " → 1", publishers,
                            integer("fanin.messages", 50_000) / publishers, integer("size", 256), integer("fanin.qos", 0),
                            integer("window", 100), false);
                }
                case "shared" -> {
                    int threads = integer("shared.threads", 50);
                    throughput.run("shared client QoS " + integer("shared.qos", 1) + ", " + threads + " threads → 1", threads,
                            integer("shared.messages", 50_000) / threads, integer("size", 256), integer("shared.qos", 1),
                            integer("window", 100), false, true);
                }
                case "large" -> throughput.run("1 MiB QoS " + integer("large.qos", 1) + ", 1 → 1", 1,
                        integer("large.messages", 50), integer("large.size", 1 << 20), integer("large.qos", 1),
                        integer("large.window", 16), true);
                case "pingpong" -> new PingPongScenario(options, libraries, report).run();
                case "echo" -> new EchoScenario(options, libraries, report).run();
                case "idle" -> new IdleScenario(options, libraries, report).run();
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
        return report.toString();
    }

    private int integer(String key, int fallback) {
        return options.integer(key, fallback);
    }
}
