package dev.tether.mqtt.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * An HTTP proxy on loopback that answers CONNECT (RFC 9110, 9.3.6) and tunnels bytes, with
 * optional Basic authentication, counting the tunnels it opened. For testing clients that go
 * through a corporate proxy.
 *
 * <pre>{@code
 * try (HttpConnectProxy proxy = HttpConnectProxy.start("user", "secret".toCharArray())) {
 *     connectThrough(proxy.host(), proxy.port());
 *     assertEquals(1, proxy.tunnels());
 * }
 * }</pre>
 */
public final class HttpConnectProxy extends TunnelProxy {

    private HttpConnectProxy(String username, char[] password) {
        super(username, password);
    }

    /** Starts a proxy that lets anyone through. */
    public static HttpConnectProxy start() {
        return new HttpConnectProxy(null, null);
    }

    /** Starts a proxy that requires Basic authentication with this user name and password (407 otherwise). */
    public static HttpConnectProxy start(String username, char[] password) {
        return new HttpConnectProxy(username, password);
    }

    @Override
    Socket handshake(InputStream in, OutputStream out) throws IOException {
        String requestLine = null;
        String authorization = null;
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            if (requestLine == null) {
                requestLine = line;
            } else if (line.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")) {
                authorization = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[0].equals("CONNECT")) {
            respond(out, "405 Method Not Allowed");
            return null;
        }
        if (requiresAuthentication() && !authorized(authorization)) {
            respond(out, "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"tether\"");
            return null;
        }
        String authority = parts[1];
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon).replace("[", "").replace("]", "");
        Socket target;
        try {
            target = connectTarget(host, Integer.parseInt(authority.substring(colon + 1)));
        } catch (IOException | RuntimeException e) {
            respond(out, "502 Bad Gateway");
            return null;
        }
        respond(out, "200 Connection Established");
        return target;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && credentialsMatch(decoded.substring(0, colon),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
