package dev.tether.cli;

import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One MQTT 5 property from {@code -D command identifier value}, as {@code mosquitto_pub} takes
 * them: {@code -D publish content-type text/plain}, {@code -D connect session-expiry-interval 60},
 * {@code -D publish user-property name value} (two values).
 *
 * @param command    {@code connect}, {@code publish} or {@code will}: the packet it goes into
 * @param identifier the property's name in the MQTT 5 specification, lower case with dashes
 * @param value      its value; the name of a user property
 * @param value2     the value of a user property, otherwise {@code null}
 */
record Mqtt5Property(String command, String identifier, String value, String value2) {

    private static final Set<String> MESSAGE_PROPERTIES = Set.of("content-type", "correlation-data",
            "message-expiry-interval", "payload-format-indicator", "response-topic", "user-property");

    /** What each command accepts; mosquitto's other properties have no meaning for this client. */
    static final Map<String, Set<String>> SUPPORTED = new TreeMap<>(Map.of(
            "connect", Set.of("session-expiry-interval", "receive-maximum", "maximum-packet-size",
                    "topic-alias-maximum", "request-response-information", "user-property"),
            "publish", MESSAGE_PROPERTIES,
            "will", union(MESSAGE_PROPERTIES, "will-delay-interval")));

    private static final Set<String> NUMERIC = Set.of("session-expiry-interval", "receive-maximum", "maximum-packet-size",
            "topic-alias-maximum", "request-response-information", "message-expiry-interval", "payload-format-indicator",
            "will-delay-interval");

    /** {@return the -D properties of one command, in the order given} */
    static List<Mqtt5Property> of(List<Mqtt5Property> properties, String command) {
        return properties.stream().filter(p -> p.command.equals(command)).toList();
    }

    /** Applies the {@code connect} properties to a client builder. */
    static void applyToConnect(List<Mqtt5Property> properties, MqttClientBuilder builder) {
        for (Mqtt5Property p : of(properties, "connect")) {
            switch (p.identifier) {
                case "session-expiry-interval" -> builder.sessionExpiry(Duration.ofSeconds(p.number()));
                case "receive-maximum" -> builder.receiveMaximum((int) p.number());
                case "maximum-packet-size" -> builder.maximumPacketSize((int) p.number());
                case "topic-alias-maximum" -> builder.topicAliasMaximum((int) p.number());
                case "request-response-information" -> builder.requestResponseInformation(p.number() != 0);
                case "user-property" -> builder.userProperty(p.value, p.value2);
                default -> throw new IllegalStateException("unchecked property " + p);
            }
        }
    }

    /**
     * Applies the properties of one command ({@code publish} or {@code will}) to a message.
     *
     * @return the will delay interval, for {@code will}; otherwise {@code null}
     */
    static Duration applyToMessage(List<Mqtt5Property> properties, String command, MqttMessage.Builder message) {
        Duration willDelay = null;
        for (Mqtt5Property p : of(properties, command)) {
            switch (p.identifier) {
                case "content-type" -> message.contentType(p.value);
                case "correlation-data" -> message.correlationData(p.value.getBytes(StandardCharsets.UTF_8));
                case "message-expiry-interval" -> message.messageExpiry(Duration.ofSeconds(p.number()));
                case "payload-format-indicator" -> message.payloadIsUtf8(p.number() != 0);
                case "response-topic" -> message.responseTopic(p.value);
                case "user-property" -> message.userProperty(p.value, p.value2);
                case "will-delay-interval" -> willDelay = Duration.ofSeconds(p.number());
                default -> throw new IllegalStateException("unchecked property " + p);
            }
        }
        return willDelay;
    }

    private long number() {
        return Long.parseLong(value);
    }

    @Override
    public String toString() {
        return "-D " + command + " " + identifier + " " + value + (value2 == null ? "" : " " + value2);
    }

    private static Set<String> union(Set<String> set, String more) {
        var all = new java.util.HashSet<>(set);
        all.add(more);
        return Set.copyOf(all);
    }

    /**
     * Takes three words after {@code -D}, four for a user property, and refuses a command or
     * identifier the client does not know with a message that lists the ones it does.
     */
    static final class Consumer implements CommandLine.IParameterConsumer {

        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            CommandLine commandLine = commandSpec.commandLine();
            String command = next(args, commandLine, "a command (" + String.join(", ", SUPPORTED.keySet()) + ")");
            Set<String> identifiers = SUPPORTED.get(command);
            if (identifiers == null) {
                throw new CommandLine.ParameterException(commandLine, "-D " + command + ": unknown command; -D takes "
                        + String.join(", ", SUPPORTED.keySet()));
            }
            String identifier = next(args, commandLine, "a property of " + command);
            if (!identifiers.contains(identifier)) {
                throw new CommandLine.ParameterException(commandLine, "-D " + command + " " + identifier
                        + ": unknown or unsupported MQTT 5 property; " + command + " takes " + String.join(", ", sorted(identifiers)));
            }
            String value = next(args, commandLine, "a value for " + identifier);
            String value2 = identifier.equals("user-property") ? next(args, commandLine, "the value of user property " + value) : null;
            if (NUMERIC.contains(identifier)) {
                try {
                    long number = Long.parseLong(value);
                    if (number < 0 || number > 0xFFFF_FFFFL) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(commandLine, "-D " + command + " " + identifier
                            + ": '" + value + "' is not a number from 0 to 4294967295");
                }
            }
            List<Mqtt5Property> list = argSpec.getValue();
            if (list == null) {
                list = new ArrayList<>();
                argSpec.setValue(list);
            }
            list.add(new Mqtt5Property(command, identifier, value, value2));
        }

        private static String next(Stack<String> args, CommandLine commandLine, String what) {
            if (args.isEmpty()) {
                throw new CommandLine.ParameterException(commandLine, "-D needs " + what
                        + ": -D command identifier value, e.g. -D publish content-type text/plain");
            }
            return args.pop();
        }

        private static List<String> sorted(Set<String> set) {
            return set.stream().sorted().toList();
        }
    }
}
