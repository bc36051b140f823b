package dev.tether.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark measured, printed as a table for people or as one JSON object for machines.
 *
 * @param mode          pub, sub or pingpong
 * @param broker        where it connected
 * @param protocol      mqttv5 or mqttv311
 * @param clients       sending (or, for sub, subscribing) clients
 * @param messages      messages each client sends; -1 for sub
 * @param qos           the QoS of publishes and subscriptions
 * @param payloadBytes  the size of each payload; -1 for sub
 * @param sent          messages sent; -1 for sub, which does not know
 * @param received      messages received
 * @param bytesReceived payload bytes received
 * @param seconds       how long the measured part took
 * @param latency       publish-to-delivery (pub) or round-trip (pingpong) latency; null for sub
 */
record BenchResult(String mode, String broker, String protocol, int clients, long messages, int qos, int payloadBytes,
                   long sent, long received, long bytesReceived, double seconds, LatencyRecorder.Snapshot latency) {

    long lost() {
        return sent < 0 ? 0 : Math.max(0, sent - received);
    }

    double rate() {
        return seconds > 0 ? received / seconds : 0;
    }

    void printTable(PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("benchmark", "bench " + mode + " against " + broker + " (" + protocol + ", QoS " + qos + ")"));
        rows.add(row("clients", Long.toString(clients)));
        if (sent >= 0) {
            rows.add(row("sent", sent + (messages >= 0 ? " (" + messages + " per client, " + payloadBytes + " bytes each)" : "")));
        }
        rows.add(row("received", Long.toString(received)));
        if (sent >= 0) {
            rows.add(row("lost", Long.toString(lost())));
        }
        rows.add(row("duration", format("%.3f s", seconds)));
        rows.add(row("throughput", format("%.1f msg/s, %.1f KiB/s", rate(), seconds > 0 ? bytesReceived / 1024.0 / seconds : 0)));
        if (latency != null) {
            String kind = mode.equals("pingpong") ? "round trip " : "latency ";
            rows.add(row(kind + "p50", millis(latency.percentile(50))));
            rows.add(row(kind + "p99", millis(latency.percentile(99))));
            rows.add(row(kind + "max", millis(latency.max())));
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.println(r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
        }
        out.flush();
    }

    void printJson(PrintWriter out) {
        StringBuilder json = new StringBuilder("{");
        field(json, "mode", quote(mode)).append(',');
        field(json, "broker", quote(broker)).append(',');
        field(json, "protocol", quote(protocol)).append(',');
        field(json, "clients", Long.toString(clients)).append(',');
        field(json, "messagesPerClient", messages < 0 ? "null" : Long.toString(messages)).append(',');
        field(json, "qos", Integer.toString(qos)).append(',');
        field(json, "payloadBytes", payloadBytes < 0 ? "null" : Integer.toString(payloadBytes)).append(',');
        field(json, "sent", sent < 0 ? "null" : Long.toString(sent)).append(',');
        field(json, "received", Long.toString(received)).append(',');
        field(json, "lost", sent < 0 ? "null" : Long.toString(lost())).append(',');
        field(json, "bytesReceived", Long.toString(bytesReceived)).append(',');
        field(json, "seconds", format("%.6f", seconds)).append(',');
        field(json, "messagesPerSecond", format("%.3f", rate())).append(',');
        if (latency == null || latency.count() == 0) {
            field(json, "latencyMillis", "null");
        } else {
            field(json, "latencyMillis", "{\"p50\":" + format("%.3f", latency.percentile(50) / 1e6)
                    + ",\"p99\":" + format("%.3f", latency.percentile(99) / 1e6)
                    + ",\"max\":" + format("%.3f", latency.max() / 1e6) + "}");
        }
        out.println(json.append('}'));
        out.flush();
    }

    static String millis(long nanos) {
        return nanos < 0 ? "-" : format("%.3f ms", nanos / 1e6);
    }

    private static String[] row(String name, String value) {
        return new String[] {name, value};
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return json.append(quote(name)).append(':').append(value);
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
