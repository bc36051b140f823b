package dev.tether.mqtt.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads certificates and private keys from PEM files (RFC 7468). Keys: unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}) of RSA, EC, Ed25519 or Ed448, and PKCS#1 RSA keys
 * ({@code BEGIN RSA PRIVATE KEY}). Error messages name the file and what is wrong, never any
 * of its content.
 */
final class PemFiles {

    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** Every certificate in the file, in order; at least one. */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (byte[] der : blocks(text, "CERTIFICATE")) {
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new CertificateException("a certificate in " + file + " is not a valid X.509 certificate", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The one private key in the file. */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " holds an encrypted private key; give an unencrypted PKCS#8 key "
                    + "(openssl pkcs8 -topk8 -nocrypt) or a key store with its password");
        }
        List<byte[]> pkcs8 = blocks(text, "PRIVATE KEY");
        List<byte[]> pkcs1 = blocks(text, "RSA PRIVATE KEY");
        if (pkcs8.isEmpty() && !pkcs1.isEmpty()) {
            pkcs8 = List.of(rsaPkcs1ToPkcs8(pkcs1.getFirst()));
        }
        if (pkcs8.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PKCS#8 private key (-----BEGIN PRIVATE KEY-----)"
                    + (text.contains("-----BEGIN EC PRIVATE KEY-----")
                    ? "; convert the SEC1 EC key with openssl pkcs8 -topk8 -nocrypt" : ""));
        }
        byte[] der = pkcs8.getFirst();
        try {
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
            for (String algorithm : KEY_ALGORITHMS) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException e) {
                    // not this algorithm: try the next
                }
            }
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        // No cause attached: the key factories' messages may quote parts of the encoding.
        throw new GeneralSecurityException("the private key in " + file + " is not an RSA, EC or EdDSA PKCS#8 key");
    }

    private static List<byte[]> blocks(String text, String label) throws GeneralSecurityException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        List<byte[]> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = text.indexOf(begin, from);
            if (start < 0) {
                return blocks;
            }
            int stop = text.indexOf(end, start);
            if (stop < 0) {
                throw new GeneralSecurityException("a PEM block " + label + " has no end line");
            }
            String base64 = text.substring(start + begin.length(), stop).replaceAll("\\s", "");
            try {
                blocks.add(Base64.getDecoder().decode(base64));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("a PEM block " + label + " is not valid Base64");
            }
            from = stop + end.length();
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo: version 0, rsaEncryption, the key as octets. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] content = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, content, 0, version.length);
        System.arraycopy(algorithm, 0, content, version.length, algorithm.length);
        System.arraycopy(octets, 0, content, version.length + algorithm.length, octets.length);
        return der(0x30, content);
    }

    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        byte[] header;
        if (length < 0x80) {
            header = new byte[] {(byte) tag, (byte) length};
        } else if (length < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        } else if (length < 0x10000) {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
        }
        byte[] result = new byte[header.length + length];
        System.arraycopy(header, 0, result, 0, header.length);
        System.arraycopy(content, 0, result, header.length, length);
        return result;
    }
}
