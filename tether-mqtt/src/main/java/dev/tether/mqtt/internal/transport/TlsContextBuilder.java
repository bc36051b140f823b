package dev.tether.mqtt.internal.transport;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Collects the builder's TLS settings (trusted CAs, client certificate, key store, custom
 * context, trust-all) and turns them into one {@link SSLContext} when the client connects.
 * Mutable, used by one builder; the key store password is kept only until {@link #build()}
 * and is never shown.
 */
public final class TlsContextBuilder {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.transport");
    private static final AtomicBoolean TRUST_ALL_WARNED = new AtomicBoolean();

    private SSLContext custom;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private Path keyStore;
    private char[] keyStorePassword;
    private boolean trustAll;

    /** A ready-made context; no other trust or key setting may be combined with it. */
    public void sslContext(SSLContext context) {
        this.custom = context;
    }

    /** CA certificates from a PEM file, trusted instead of the JDK's trust store. */
    public void trustedCertificates(Path pem) {
        this.trustedCertificates = pem;
    }

    /** The client's certificate chain and its unencrypted PKCS#8 key, both PEM. */
    public void clientCertificate(Path certificatePem, Path keyPem) {
        this.clientCertificate = certificatePem;
        this.clientKey = keyPem;
    }

    /** A PKCS12 or JKS key store with the client's key and certificate; the password is copied. */
    public void clientKeyStore(Path file, char[] password) {
        this.keyStore = file;
        if (keyStorePassword != null) {
            Arrays.fill(keyStorePassword, '\0');
        }
        this.keyStorePassword = password == null ? null : password.clone();
    }

    /** Trusts every server certificate: for tests only. */
    public void insecureTrustAll() {
        this.trustAll = true;
    }

    /** {@return whether the server's certificate is checked at all} */
    public boolean trustsAll() {
        return trustAll;
    }

    /**
     * The context for these settings: null when none was made (the JDK's default then applies).
     *
     * @throws GeneralSecurityException naming the file or setting at fault, never any secret
     * @throws IOException if a file cannot be read
     */
    public SSLContext build() throws GeneralSecurityException, IOException {
        boolean material = trustedCertificates != null || clientCertificate != null || keyStore != null;
        if (custom != null && (material || trustAll)) {
            throw new IllegalStateException("a custom SSLContext cannot be combined with trusted certificates, "
                    + "client certificates, a key store or insecureTrustAll");
        }
        if (clientCertificate != null && keyStore != null) {
            throw new IllegalStateException("give the client certificate either as PEM files or in a key store, not both");
        }
        if (trustAll && trustedCertificates != null) {
            throw new IllegalStateException("insecureTrustAll and trusted certificates exclude each other");
        }
        if (trustAll && TRUST_ALL_WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "insecureTrustAll: server certificates and host names are NOT "
                    + "verified; anyone on the network path can impersonate the broker. Never use this in production.");
        }
        if (custom != null) {
            return custom;
        }
        if (!material && !trustAll) {
            return null;
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), trustManagers(), null);
        return context;
    }

    private KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
        KeyStore store;
        char[] password;
        if (clientCertificate != null) {
            PrivateKey key = PemFiles.privateKey(clientKey);
            List<X509Certificate> chain = PemFiles.certificates(clientCertificate);
            password = new char[0];
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, password, chain.toArray(X509Certificate[]::new));
        } else if (keyStore != null) {
            password = keyStorePassword == null ? new char[0] : keyStorePassword;
            try {
                store = KeyStore.getInstance(keyStore.toFile(), password);
            } catch (IOException e) {
                // The JDK says "keystore password was incorrect" or names the format: no secret in either.
                throw new GeneralSecurityException("cannot open the key store " + keyStore + ": " + e.getMessage(), e);
            }
        } else {
            return null;
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        try {
            factory.init(store, password);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("cannot use the client key in " + (keyStore != null ? keyStore : clientKey)
                    + ": " + e.getMessage(), e);
        }
        return factory.getKeyManagers();
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        if (trustAll) {
            return new TrustManager[] {new TrustingEverything()};
        }
        if (trustedCertificates == null) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int index = 0;
        for (X509Certificate certificate : PemFiles.certificates(trustedCertificates)) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** The trust manager of {@code insecureTrustAll}: accepts any chain, checks no host name. */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public String toString() {
        return "TlsContextBuilder[trusted=" + trustedCertificates + ", clientCertificate=" + clientCertificate
                + ", keyStore=" + keyStore + ", password=" + (keyStorePassword == null ? "absent" : "****")
                + ", trustAll=" + trustAll + "]";
    }
}
