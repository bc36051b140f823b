package dev.tether.mqtt.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status line and headers of an HTTP/1.1 response, read byte by byte so that not one byte
 * after the blank line is taken from the stream: what follows belongs to the tunnel or to the
 * WebSocket frames.
 *
 * @param statusLine the first line, e.g. {@code HTTP/1.1 101 Switching Protocols}
 * @param status     the status code
 * @param headers    the header lines as name, value pairs, names in lower case
 */
record HttpHead(String statusLine, int status, List<String[]> headers) {

    private static final int MAXIMUM_HEAD_BYTES = 16 * 1024;

    static HttpHead read(InputStream in, String what) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(what + " closed the connection before the end of its HTTP response");
            }
            if (++total > MAXIMUM_HEAD_BYTES) {
                throw new ProtocolException(what + " sent an HTTP response head longer than " + MAXIMUM_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                line.reset();
                if (text.isEmpty()) {
                    break;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
        if (lines.isEmpty()) {
            throw new ProtocolException(what + " sent an empty HTTP response");
        }
        String statusLine = lines.getFirst();
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new NumberFormatException();
            }
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException(what + " did not answer with HTTP: '" + printable(statusLine) + "'");
        }
        List<String[]> headers = new ArrayList<>();
        for (String header : lines.subList(1, lines.size())) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim()});
            }
        }
        return new HttpHead(statusLine, status, headers);
    }

    /** {@return the values of a header, comma-separated lists split, in order} */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String[] header : headers) {
            if (header[0].equals(name.toLowerCase(Locale.ROOT))) {
                for (String value : header[1].split(",")) {
                    if (!value.isBlank()) {
                        values.add(value.trim());
                    }
                }
            }
        }
        return values;
    }

    /** {@return the one value of a header, or null} */
    String value(String name) {
        for (String[] header : headers) {
            if (header[0].equals(name.toLowerCase(Locale.ROOT))) {
                return header[1];
            }
        }
        return null;
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
