package dev.tether.examples;

import dev.tether.mqtt.testkit.EmbeddedHiveMq;
import dev.tether.mqtt.testkit.MqttBroker;

/**
 * The broker an example talks to: the one named by {@code --host host[:port]} on the command
 * line, or else a HiveMQ CE embedded in the example's own process.
 */
record BrokerArgument(String host, int port, MqttBroker embedded) implements AutoCloseable {

    private static final int MQTT_PORT = 1883;

    static BrokerArgument from(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--host")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--host needs a value: host or host:port");
                }
                return named(args[i + 1]);
            }
            if (args[i].startsWith("--host=")) {
                return named(args[i].substring("--host=".length()));
            }
        }
        MqttBroker broker = EmbeddedHiveMq.start();
        return new BrokerArgument(broker.host(), broker.port(), broker);
    }

    private static BrokerArgument named(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            return new BrokerArgument(hostAndPort, MQTT_PORT, null);
        }
        String port = hostAndPort.substring(colon + 1);
        try {
            return new BrokerArgument(hostAndPort.substring(0, colon), Integer.parseInt(port), null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--host port must be a number, was '" + port + "'", e);
        }
    }

    /** Host and port as one string, {@code host:port}. */
    String address() {
        return host + ":" + port;
    }

    String description() {
        return embedded == null ? "broker " + address() : "embedded " + embedded.name() + " on " + address();
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
