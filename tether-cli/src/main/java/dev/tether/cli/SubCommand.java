package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tether sub}: prints the messages of one or more topic filters. */
@Command(name = "sub", sortOptions = false, usageHelpAutoWidth = true,
        description = "Subscribe and print the messages that arrive, like mosquitto_sub.",
        footer = {"", "Examples:",
                "  tether sub -t 'sensors/#' -v",
                "  tether sub -L wss://broker.example/mqtt -t a/b -t c/d -q 1 -C 10"})
final class SubCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "FILTER",
            description = "Topic filter to subscribe to; repeat for more.")
    List<String> filters;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", converter = ConnectionOptions.QosConverter.class,
            description = "Maximum quality of service: 0 (default), 1 or 2.")
    Qos qos = Qos.AT_MOST_ONCE;

    @Option(names = {"-C", "--count"}, paramLabel = "COUNT", description = "Exit after COUNT messages.")
    int count;

    @Option(names = {"-W", "--timeout"}, paramLabel = "SECONDS", description = "Exit after SECONDS, whatever arrived.")
    int timeoutSeconds;

    @Option(names = {"-v", "--verbose"}, description = "Print the topic before each payload: 'topic payload'.")
    boolean verbose;

    @Option(names = {"-N", "--no-newline"}, description = "No newline after each payload.")
    boolean noNewline;

    @Option(names = {"-c", "--disable-clean-session"}, description = "Resume the session of this client identifier.")
    boolean resumeSession;

    @Option(names = {"-d", "--debug"}, description = "Print what happens on standard error.")
    boolean debug;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws MqttException, InterruptedException {
        if (count < 0 || timeoutSeconds < 0) {
            throw new IllegalArgumentException("-C and -W must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (debug) {
            Logging.debug();
        }
        SubscribeRequest.Builder request = SubscribeRequest.newBuilder();
        filters.forEach(filter -> request.filter(filter, qos));
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (MqttClient client = connection.builder(Set.of("connect", "will"), !resumeSession).connect();
             Subscription subscription = client.subscribe(request.build())) {
            debug(err, "connected to " + connection.broker() + " as " + client.connectResult().clientIdentifier());
            List<ReasonCode> codes = subscription.result().reasonCodes();
            for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isError()) {
                    err.println("tether sub: the broker refused " + filters.get(i) + ": " + codes.get(i).describe());
                    err.flush();
                } else {
                    debug(err, "subscribed to " + filters.get(i) + " with QoS " + codes.get(i).code());
                }
            }
            if (codes.stream().allMatch(ReasonCode::isError)) {
                return Tether.EXIT_FAILURE;
            }
            for (int received = 0; count == 0 || received < count; received++) {
                MqttMessage message;
                if (timeoutSeconds > 0) {
                    long left = deadline - System.nanoTime();
                    message = left <= 0 ? null : subscription.receive(Duration.ofNanos(left));
                    if (message == null) {
                        debug(err, "no more messages within " + timeoutSeconds + " s");
                        break;
                    }
                } else {
                    message = subscription.receive();
                    if (message == null) {
                        break;
                    }
                }
                print(out, message);
            }
        }
        return 0;
    }

    private void print(PrintWriter out, MqttMessage message) {
        if (verbose) {
            out.print(message.topic());
            out.print(' ');
        }
        out.print(message.payloadAsString());
        if (!noNewline) {
            out.println();
        }
        out.flush();
    }

    private void debug(PrintWriter err, String line) {
        if (debug) {
            err.println(line);
            err.flush();
        }
    }
}
