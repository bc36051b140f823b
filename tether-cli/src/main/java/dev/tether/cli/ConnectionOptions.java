package dev.tether.cli;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttClientBuilder;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttMessage;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How to reach and log in to the broker: the connection flags shared by {@code pub}, {@code sub}
 * and {@code bench}, named as in {@code mosquitto_pub}.
 */
final class ConnectionOptions {

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Broker host (default localhost).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Broker port (default 1883, 8883 with TLS).")
    Integer port;

    @Option(names = {"-L", "--url"}, paramLabel = "URI",
            description = "Broker as a URI instead of -h/-p: mqtt://host[:port], mqtts://, ws://host:port/path, wss://, unix:///path.")
    String url;

    @Option(names = "--unix", paramLabel = "SOCKET", description = "Connect through this Unix domain socket.")
    Path unixSocket;

    @Option(names = {"-i", "--id"}, paramLabel = "ID",
            description = "Client identifier (default: assigned by an MQTT 5 broker, random for 3.1.1).")
    String identifier;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    String username;

    @Option(names = {"-P", "--pw"}, paramLabel = "PASSWORD", description = "Password; needs -u.")
    String password;

    @Option(names = {"-V", "--protocol-version"}, paramLabel = "VERSION", converter = ProtocolConverter.class,
            description = "mqttv5 (default) or mqttv311.")
    ProtocolVersion protocol = ProtocolVersion.V5;

    @Option(names = {"-k", "--keepalive"}, paramLabel = "SECONDS", description = "Keep alive in seconds (default 60).")
    int keepAlive = 60;

    @Option(names = "--will-topic", paramLabel = "TOPIC", description = "Topic of the will.")
    String willTopic;

    @Option(names = "--will-payload", paramLabel = "PAYLOAD", description = "Payload of the will.")
    String willPayload;

    @Option(names = "--will-qos", paramLabel = "QOS", converter = QosConverter.class, description = "QoS of the will (default 0).")
    Qos willQos = Qos.AT_MOST_ONCE;

    @Option(names = "--will-retain", description = "Retain the will.")
    boolean willRetain;

    @Option(names = "--tls", description = "TLS with the JDK's trusted certificates (implied by mqtts://, wss://, --cafile, --cert).")
    boolean tls;

    @Option(names = "--cafile", paramLabel = "PEM", description = "Trust the CA certificates of this PEM file (turns TLS on).")
    Path caFile;

    @Option(names = "--cert", paramLabel = "PEM", description = "Client certificate for mutual TLS; needs --key.")
    Path certFile;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key of --cert (unencrypted PKCS#8 or PKCS#1).")
    Path keyFile;

    @Option(names = "--insecure",
            description = "TLS without checking the server's certificate or host name. For tests only.")
    boolean insecure;

    @Option(names = "-D", paramLabel = "CMD ID VALUE", parameterConsumer = Mqtt5Property.Consumer.class,
            description = "MQTT 5 property: -D connect|publish|will <identifier> <value>, e.g. "
                    + "-D publish user-property <name> <value>, -D publish content-type text/plain, "
                    + "-D publish message-expiry-interval 60, -D connect session-expiry-interval 3600.")
    List<Mqtt5Property> properties = new ArrayList<>();

    /**
     * A builder with every flag applied.
     *
     * @param allowedCommands which {@code -D} commands this subcommand takes
     * @param cleanStart whether to start a new session
     * @throws IllegalArgumentException when flags contradict each other (exit code 2)
     */
    MqttClientBuilder builder(Set<String> allowedCommands, boolean cleanStart) {
        MqttClientBuilder builder = MqttClient.newBuilder();
        if (url != null) {
            if (host != null || port != null || unixSocket != null) {
                throw new IllegalArgumentException("-L/--url names the broker already: use it or -h/-p/--unix, not both");
            }
            builder.serverUri(url);
        } else if (unixSocket != null) {
            builder.unixSocket(unixSocket);
        } else {
            builder.host(host == null ? "localhost" : host);
            if (port != null) {
                builder.port(port);
            }
        }
        builder.protocol(protocol).keepAlive(Duration.ofSeconds(keepAlive)).cleanStart(cleanStart);
        if (identifier != null) {
            builder.identifier(identifier);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("-P/--pw needs -u/--username");
        }
        if (username != null) {
            builder.credentials(username, password == null ? null : password.toCharArray());
        }
        if (tls) {
            builder.tls();
        }
        if (caFile != null) {
            builder.trustedCertificates(caFile);
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (certFile != null) {
            builder.clientCertificate(certFile, keyFile);
        }
        if (insecure) {
            builder.insecureTrustAll();
        }
        for (Mqtt5Property property : properties) {
            if (!allowedCommands.contains(property.command())) {
                throw new IllegalArgumentException(property + ": this command takes -D " + String.join(" or -D ", allowedCommands.stream().sorted().toList()));
            }
        }
        if (!properties.isEmpty() && protocol != ProtocolVersion.V5) {
            throw new IllegalArgumentException("MQTT 5 properties (-D) need -V mqttv5");
        }
        Mqtt5Property.applyToConnect(properties, builder);
        if (willTopic != null) {
            MqttMessage.Builder will = MqttMessage.newBuilder(willTopic)
                    .payload(willPayload == null ? "" : willPayload).qos(willQos).retain(willRetain);
            Duration willDelay = Mqtt5Property.applyToMessage(properties, "will", will);
            builder.will(will.build());
            if (willDelay != null) {
                builder.willDelay(willDelay);
            }
        } else if (willPayload != null || willRetain || !Mqtt5Property.of(properties, "will").isEmpty()) {
            throw new IllegalArgumentException("--will-payload, --will-retain and -D will need --will-topic");
        }
        return builder;
    }

    /** Connects a client with these options and an identifier of its own. */
    MqttClient connect(Set<String> allowedCommands, String identifierSuffix) throws MqttException {
        MqttClientBuilder builder = builder(allowedCommands, true).reconnect(false);
        if (identifierSuffix != null) {
            builder.identifier((identifier == null ? "tether-bench" : identifier) + "-" + identifierSuffix);
        }
        return builder.connect();
    }

    /** Where the client connects, for messages. */
    String broker() {
        if (url != null) {
            return url;
        }
        if (unixSocket != null) {
            return "unix:" + unixSocket;
        }
        return (host == null ? "localhost" : host) + (port == null ? "" : ":" + port);
    }

    /** {@code mqttv5}, {@code mqttv311}; also {@code 5}, {@code 311}, {@code 3.1.1}. */
    static final class ProtocolConverter implements CommandLine.ITypeConverter<ProtocolVersion> {
        @Override
        public ProtocolVersion convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "mqttv5", "5", "v5" -> ProtocolVersion.V5;
                case "mqttv311", "311", "3.1.1", "v311" -> ProtocolVersion.V3_1_1;
                case "mqttv31", "31", "3.1" -> throw new CommandLine.TypeConversionException(
                        "MQTT 3.1 is not supported: use mqttv311 or mqttv5");
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not mqttv311 or mqttv5");
            };
        }
    }

    /** 0, 1 or 2. */
    static final class QosConverter implements CommandLine.ITypeConverter<Qos> {
        @Override
        public Qos convert(String value) {
            return switch (value) {
                case "0" -> Qos.AT_MOST_ONCE;
                case "1" -> Qos.AT_LEAST_ONCE;
                case "2" -> Qos.EXACTLY_ONCE;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a QoS: 0, 1 or 2");
            };
        }
    }
}
