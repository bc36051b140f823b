package dev.tether.mqtt.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test CA and certificates it signed, made once per test JVM with the JDK's {@code keytool}
 * (no openssl needed): a server certificate for 127.0.0.1 and localhost (RSA), one for another
 * host, one that expired, and a client certificate (EC). Each as PEM certificate, PKCS#8 PEM key
 * and PKCS12 key store with the CA in its chain.
 */
final class TestCertificates {

    /** The password of every key store here; a test secret the leak test looks for. */
    static final String STORE_PASSWORD = "store-secret-4711";

    final Path folder;
    final Path caPem;

    private TestCertificates(Path folder) {
        this.folder = folder;
        this.caPem = folder.resolve("ca.pem");
    }

    /** The certificates, made on first use (the holder class is initialized once, by the JVM's rules). */
    static TestCertificates get() {
        return Holder.CERTIFICATES;
    }

    private static final class Holder {
        static final TestCertificates CERTIFICATES;

        static {
            try {
                CERTIFICATES = make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Path certificate(String name) {
        return folder.resolve(name + ".pem");
    }

    Path key(String name) {
        return folder.resolve(name + ".key");
    }

    Path keyStore(String name) {
        return folder.resolve(name + ".p12");
    }

    private static TestCertificates make() throws IOException {
        Path folder = Files.createTempDirectory("tether-certs-");
        // Mosquitto drops its privileges when started as root: the files must be readable by anyone.
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder)));
        TestCertificates certificates = new TestCertificates(folder);
        keytool(folder, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Tether Test CA", "-ext", "bc:c", "-validity", "30", "-keystore", "ca.p12");
        keytool(folder, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        // keytool starts a JVM per call: the four certificates are made side by side.
        List<Thread> threads = new ArrayList<>();
        List<IOException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String[] leaf : new String[][] {
                {"server", "RSA", "SAN=ip:127.0.0.1,dns:localhost", "serverAuth", null},
                {"wronghost", "RSA", "SAN=dns:wrong.example", "serverAuth", null},
                {"expired", "RSA", "SAN=ip:127.0.0.1,dns:localhost", "serverAuth", "-10d"},
                {"client", "EC", "SAN=dns:tether-client", "clientAuth", null}}) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    certificates.leaf(leaf[0], leaf[1], leaf[2], leaf[3], leaf[4]);
                } catch (IOException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        return certificates;
    }

    private void leaf(String name, String algorithm, String san, String usage, String startDate) throws IOException {
        List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", algorithm,
                "-dname", "CN=" + name, "-keystore", name + ".p12"));
        generate.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        keytool(folder, generate.toArray(String[]::new));
        keytool(folder, "-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".pem", "-ext", san, "-ext", "EKU=" + usage));
        if (startDate != null) {
            sign.addAll(List.of("-startdate", startDate, "-validity", "2"));
        } else {
            sign.addAll(List.of("-validity", "30"));
        }
        keytool(folder, sign.toArray(String[]::new));
        exportKey(name);
        if (usage.equals("clientAuth")) {
            // The signed certificate back into the store, with the CA: a complete client key store.
            keytool(folder, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", name + ".p12");
            keytool(folder, "-importcert", "-noprompt", "-alias", name, "-file", name + ".pem", "-keystore", name + ".p12");
        }
    }

    private void exportKey(String name) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore(name))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(name, STORE_PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(key(name), pem);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot export the key of " + name, e);
        }
    }

    private static void keytool(Path folder, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", STORE_PASSWORD, "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
