package dev.tether.mqtt.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Asks a proxy, over a socket already connected to it, for a tunnel to the broker: HTTP CONNECT
 * or SOCKS5. When this returns, the socket's streams reach the broker. Messages name the proxy
 * and what it answered, never the credentials.
 */
final class ProxyTunnel {

    private ProxyTunnel() {
    }

    static void open(ProxyOptions proxy, InputStream in, OutputStream out, String host, int port) throws IOException {
        switch (proxy.kind()) {
            case HTTP -> httpConnect(proxy, in, out, host, port);
            case SOCKS5 -> socks5(proxy, in, out, host, port);
        }
    }

    private static void httpConnect(ProxyOptions proxy, InputStream in, OutputStream out, String host, int port)
            throws IOException {
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        StringBuilder request = new StringBuilder()
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        byte[] head;
        if (proxy.username() != null) {
            byte[] credentials = utf8(proxy.username(), proxy.password());
            String basic = Base64.getEncoder().encodeToString(credentials);
            Arrays.fill(credentials, (byte) 0);
            request.append("Proxy-Authorization: Basic ").append(basic).append("\r\n");
        }
        request.append("\r\n");
        head = request.toString().getBytes(StandardCharsets.ISO_8859_1);
        request.setLength(0);
        out.write(head);
        out.flush();
        Arrays.fill(head, (byte) 0);
        String what = "HTTP proxy " + proxy.host() + ":" + proxy.port();
        HttpHead response = HttpHead.read(in, what);
        if (response.status() / 100 != 2) {
            String reason = response.status() == 407
                    ? (proxy.username() == null ? " (it requires authentication: give a user name and password)"
                    : " (it refused the user name and password)")
                    : "";
            throw new ProtocolException(what + " refused the tunnel to " + authority + ": " + response.statusLine() + reason);
        }
    }

    private static void socks5(ProxyOptions proxy, InputStream in, OutputStream out, String host, int port)
            throws IOException {
        String what = "SOCKS5 proxy " + proxy.host() + ":" + proxy.port();
        boolean withPassword = proxy.username() != null;
        out.write(withPassword ? new byte[] {5, 2, 0, 2} : new byte[] {5, 1, 0});
        out.flush();
        byte[] choice = readExactly(in, 2, what);
        if (choice[0] != 5) {
            throw new ProtocolException(what + " does not speak SOCKS5 (version byte " + (choice[0] & 0xFF) + ")");
        }
        int method = choice[1] & 0xFF;
        if (method == 2 && withPassword) {
            byte[] user = proxy.username().getBytes(StandardCharsets.UTF_8);
            byte[] password = utf8Password(proxy.password());
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(1);
            request.write(user.length);
            request.writeBytes(user);
            request.write(password.length);
            request.writeBytes(password);
            Arrays.fill(password, (byte) 0);
            byte[] bytes = request.toByteArray();
            out.write(bytes);
            out.flush();
            Arrays.fill(bytes, (byte) 0);
            byte[] status = readExactly(in, 2, what);
            if (status[1] != 0) {
                throw new ProtocolException(what + " refused the user name and password");
            }
        } else if (method == 0xFF) {
            throw new ProtocolException(what + " accepts none of the offered authentication methods ("
                    + (withPassword ? "none, user name and password" : "none: it may require a user name and password")
                    + ")");
        } else if (method != 0) {
            throw new ProtocolException(what + " chose authentication method " + method + ", which was not offered");
        }

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(new byte[] {5, 1, 0});
        byte[] literal = ipLiteral(host);
        if (literal != null) {
            request.write(literal.length == 4 ? 1 : 4);
            request.writeBytes(literal);
        } else {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            if (name.length > 255) {
                throw new ProtocolException("host name too long for SOCKS5: " + name.length + " bytes");
            }
            request.write(3);
            request.write(name.length);
            request.writeBytes(name);
        }
        request.write(port >> 8);
        request.write(port);
        out.write(request.toByteArray());
        out.flush();
        byte[] reply = readExactly(in, 4, what);
        if (reply[1] != 0) {
            throw new ProtocolException(what + " could not connect to " + host + ":" + port + ": " + socksReply(reply[1]));
        }
        int addressLength = switch (reply[3]) {
            case 1 -> 4;
            case 4 -> 16;
            case 3 -> readExactly(in, 1, what)[0] & 0xFF;
            default -> throw new ProtocolException(what + " answered with address type " + reply[3]);
        };
        readExactly(in, addressLength + 2, what);
    }

    private static String socksReply(byte code) {
        return switch (code) {
            case 1 -> "general failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "reply code " + (code & 0xFF);
        };
    }

    /** The address bytes when {@code host} is an IPv4 or IPv6 literal; null for a name (never resolved here). */
    private static byte[] ipLiteral(String host) {
        boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = host.indexOf(':') >= 0;
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] readExactly(InputStream in, int count, String what) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length != count) {
            throw new EOFException(what + " closed the connection during the SOCKS5 handshake");
        }
        return bytes;
    }

    private static byte[] utf8(String username, char[] password) {
        char[] joined = new char[username.length() + 1 + password.length];
        username.getChars(0, username.length(), joined, 0);
        joined[username.length()] = ':';
        System.arraycopy(password, 0, joined, username.length() + 1, password.length);
        byte[] bytes = utf8Password(joined);
        Arrays.fill(joined, '\0');
        return bytes;
    }

    private static byte[] utf8Password(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
