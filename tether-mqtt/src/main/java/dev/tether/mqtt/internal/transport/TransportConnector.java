package dev.tether.mqtt.internal.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens the byte stream to an endpoint: a TCP connection (directly or through the proxy), then
 * TLS when the scheme is secure, then the WebSocket upgrade when it is a WebSocket scheme; or a
 * Unix domain socket. Every step is bounded by the timeout.
 */
public final class TransportConnector {

    private TransportConnector() {
    }

    /**
     * Connects to {@code endpoint}.
     *
     * @throws IOException with a message that says which step failed and why, without secrets
     */
    public static Transport open(Endpoint endpoint, TransportOptions options, Duration timeout) throws IOException {
        if (endpoint.scheme() == Endpoint.Scheme.UNIX) {
            return openUnix(endpoint);
        }
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            ProxyOptions proxy = options.proxy();
            if (proxy == null) {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), timeoutMillis);
            } else {
                try {
                    socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
                } catch (IOException e) {
                    throw new IOException("cannot reach the " + proxy.kind() + " proxy " + proxy.host() + ":"
                            + proxy.port() + ": " + e.getMessage(), e);
                }
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            if (proxy != null) {
                ProxyTunnel.open(proxy, socket.getInputStream(), socket.getOutputStream(), endpoint.host(), endpoint.port());
            }
            if (endpoint.scheme().secure()) {
                socket = startTls(socket, endpoint, options);
            }
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (endpoint.scheme().webSocket()) {
                // Buffered: frame headers are read a few bytes at a time.
                InputStream buffered = new BufferedInputStream(in, 16 * 1024);
                OutputStream bufferedOut = new BufferedOutputStream(out, 16 * 1024);
                boolean defaultPort = endpoint.port() == endpoint.scheme().defaultPort();
                String host = endpoint.host().indexOf(':') >= 0 ? "[" + endpoint.host() + "]" : endpoint.host();
                WebSocket webSocket = WebSocket.handshake(buffered, bufferedOut,
                        defaultPort ? host : host + ":" + endpoint.port(), endpoint.path(), options.webSocketHeaders(),
                        endpoint.name());
                return Transport.overSocket(socket, webSocket.in(), webSocket.out(), webSocket::sendClose);
            }
            return Transport.overSocket(socket, in, out, null);
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static Transport openUnix(Endpoint endpoint) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(endpoint.path()));
            return Transport.overChannel(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Socket startTls(Socket socket, Endpoint endpoint, TransportOptions options) throws IOException {
        SSLContext context;
        try {
            context = options.sslContextOrDefault();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS context: " + e.getMessage(), e);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, endpoint.host(), endpoint.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        if (options.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        parameters.setProtocols(options.tlsProtocols().toArray(String[]::new));
        tls.setSSLParameters(parameters);
        try {
            tls.startHandshake();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (SSLException e) {
            throw new SSLHandshakeException(describeTlsFailure(e, endpoint), e);
        }
        return tls;
    }

    /**
     * Says in words why a connection that was opened failed while the CONNECT or CONNACK
     * travelled: with TLS 1.3 a broker that wants a client certificate refuses only then.
     */
    public static String describeFailureAfterOpen(IOException e, Endpoint endpoint) {
        String message = String.valueOf(e.getMessage());
        if (!endpoint.scheme().secure()) {
            return message;
        }
        if (message.contains("certificate_required") || message.contains("bad_certificate")) {
            return message + " (the broker requires a client certificate it trusts)";
        }
        return message + " (the broker ended the TLS connection after the handshake; a broker that requires"
                + " a client certificate does so when it got none it trusts)";
    }

    /**
     * Says in words why a TLS handshake failed: hostname mismatch, expired certificate, unknown
     * CA, or what the JDK said.
     */
    static String describeTlsFailure(SSLException e, Endpoint endpoint) {
        String prefix = "TLS handshake with " + endpoint.name() + " failed: ";
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof CertificateExpiredException
                    || cause instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return prefix + "the server's certificate (or one of its chain) has expired: " + message;
            }
            if (cause instanceof CertificateNotYetValidException
                    || cause instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return prefix + "the server's certificate is not yet valid: " + message;
            }
            if (message.contains("No subject alternative") || message.contains("No name matching")) {
                return prefix + "hostname mismatch: the server's certificate is not for " + endpoint.host() + " ("
                        + message + ")";
            }
            if (message.contains("PKIX path building failed") || message.contains("unable to find valid certification path")) {
                return prefix + "the server's certificate is not signed by a trusted CA (" + message + ")";
            }
        }
        return prefix + e.getMessage();
    }
}
