package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.PublishResult;
import dev.tether.mqtt.Qos;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tether pub}: publishes one message, a file, or each line of standard input. */
@Command(name = "pub", sortOptions = false, usageHelpAutoWidth = true,
        description = "Publish a message, like mosquitto_pub.",
        footer = {"", "Examples:",
                "  tether pub -t sensors/temp -m 21.5",
                "  tether pub -L mqtts://broker.example -t a/b -q 1 -f reading.json -D publish content-type application/json",
                "  tail -f log | tether pub -t logs -l"})
final class PubCommand implements Callable<Integer> {

    @ParentCommand
    Tether tether;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Topic to publish to.")
    String topic;

    @ArgGroup(multiplicity = "1")
    Source source;

    /** Exactly one of these says what to send. */
    static final class Source {
        @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE", description = "Send this message.")
        String message;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send the content of this file as one message.")
        Path file;

        @Option(names = {"-l", "--stdin-line"}, description = "Send each line of standard input as a message.")
        boolean lines;

        @Option(names = {"-n", "--null-message"}, description = "Send an empty (zero length) message.")
        boolean empty;

        @Option(names = {"-s", "--stdin-file"}, description = "Send all of standard input as one message.")
        boolean stdin;
    }

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", converter = ConnectionOptions.QosConverter.class,
            description = "Quality of service: 0 (default), 1 or 2.")
    Qos qos = Qos.AT_MOST_ONCE;

    @Option(names = {"-r", "--retain"}, description = "Retain the message.")
    boolean retain;

    @Option(names = {"-c", "--disable-clean-session"}, description = "Resume the session of this client identifier.")
    boolean resumeSession;

    @Option(names = {"-d", "--debug"}, description = "Print what happens on standard error.")
    boolean debug;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws IOException {
        MqttMessage.Builder template = MqttMessage.newBuilder(topic).qos(qos).retain(retain);
        Mqtt5Property.applyToMessage(connection.properties, "publish", template);
        PrintWriter err = spec.commandLine().getErr();
        if (debug) {
            Logging.debug();
        }
        byte[] whole = null;
        if (source.file != null) {
            try {
                whole = Files.readAllBytes(source.file);
            } catch (IOException e) {
                throw new IOException("cannot read " + source.file + ": " + e, e);
            }
        }
        try (MqttClient client = connection.builder(Set.of("connect", "publish", "will"), !resumeSession).reconnect(false).connect()) {
            debug(err, "connected to " + connection.broker() + " as " + client.connectResult().clientIdentifier());
            if (source.lines) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(tether.stdin(), StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    publish(client, template.payload(line).build(), err);
                }
            } else {
                if (source.message != null) {
                    template.payload(source.message);
                } else if (whole != null) {
                    template.payload(whole);
                } else if (source.stdin) {
                    template.payload(tether.stdin().readAllBytes());
                } else {
                    template.payload(new byte[0]);
                }
                publish(client, template.build(), err);
            }
        }
        return 0;
    }

    private void publish(MqttClient client, MqttMessage message, PrintWriter err) throws MqttException {
        PublishResult result = client.publish(message);
        debug(err, "published " + message.payloadSize() + " bytes to " + message.topic() + " at QoS " + message.qos().code()
                + (message.qos() == Qos.AT_MOST_ONCE ? "" : ": " + result.reasonCode().describe()));
    }

    private void debug(PrintWriter err, String line) {
        if (debug) {
            err.println(line);
            err.flush();
        }
    }
}
