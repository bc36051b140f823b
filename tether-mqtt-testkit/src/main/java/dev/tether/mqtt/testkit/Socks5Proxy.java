package dev.tether.mqtt.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A SOCKS5 proxy on loopback (RFC 1928, CONNECT only) with no authentication or user name and
 * password (RFC 1929), counting the tunnels it opened.
 *
 * <pre>{@code
 * try (Socks5Proxy proxy = Socks5Proxy.start()) {
 *     connectThrough(proxy.host(), proxy.port());
 *     assertEquals(1, proxy.tunnels());
 * }
 * }</pre>
 */
public final class Socks5Proxy extends TunnelProxy {

    private Socks5Proxy(String username, char[] password) {
        super(username, password);
    }

    /** Starts a proxy that needs no authentication. */
    public static Socks5Proxy start() {
        return new Socks5Proxy(null, null);
    }

    /** Starts a proxy that requires this user name and password. */
    public static Socks5Proxy start(String username, char[] password) {
        return new Socks5Proxy(username, password);
    }

    @Override
    Socket handshake(InputStream in, OutputStream out) throws IOException {
        byte[] greeting = read(in, 2);
        if (greeting[0] != 5) {
            return null;
        }
        byte[] methods = read(in, greeting[1] & 0xFF);
        int wanted = requiresAuthentication() ? 2 : 0;
        boolean offered = false;
        for (byte method : methods) {
            offered |= method == wanted;
        }
        if (!offered) {
            out.write(new byte[] {5, (byte) 0xFF});
            out.flush();
            return null;
        }
        out.write(new byte[] {5, (byte) wanted});
        out.flush();
        if (wanted == 2) {
            read(in, 1); // sub-negotiation version 1
            String user = new String(read(in, read(in, 1)[0] & 0xFF), StandardCharsets.UTF_8);
            byte[] password = read(in, read(in, 1)[0] & 0xFF);
            boolean ok = credentialsMatch(user, password);
            out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
            out.flush();
            if (!ok) {
                return null;
            }
        }
        byte[] request = read(in, 4);
        String host = switch (request[3]) {
            case 1 -> InetAddress.getByAddress(read(in, 4)).getHostAddress();
            case 4 -> InetAddress.getByAddress(read(in, 16)).getHostAddress();
            case 3 -> new String(read(in, read(in, 1)[0] & 0xFF), StandardCharsets.US_ASCII);
            default -> null;
        };
        byte[] portBytes = read(in, 2);
        int port = (portBytes[0] & 0xFF) << 8 | portBytes[1] & 0xFF;
        if (request[1] != 1 || host == null) {
            out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0});
            out.flush();
            return null;
        }
        Socket target;
        try {
            target = connectTarget(host, port);
        } catch (IOException e) {
            out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0});
            out.flush();
            return null;
        }
        out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
        return target;
    }

    private static byte[] read(InputStream in, int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length != count) {
            throw new EOFException("client went away in the SOCKS5 handshake");
        }
        return bytes;
    }
}
