package dev.tether.mqtt.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The file name of a client identifier's session store. A client identifier is any UTF-8 text,
 * {@code "../x"} and {@code "a/b"} included, so it is never used as a path: the name is a
 * readable prefix of its letters and digits (for people listing the directory) followed by the
 * lowercase hex of its UTF-8 bytes (which makes names unique, also on file systems that ignore
 * case). Identifiers longer than 64 bytes use the hex of their SHA-256 instead, to stay far below
 * the 255-byte limit of file names; the file's header names its identifier, so a collision would
 * be refused, not shared.
 */
final class SessionFileName {

    /** Every file of the store starts with this. */
    static final String PREFIX = "session-";
    /** The log itself. */
    static final String SUFFIX = ".tss";
    /** The lock file next to it (see {@link StoreFile}). */
    static final String LOCK_SUFFIX = ".tss.lock";
    /** A compaction's new log before it replaces the old one. */
    static final String TEMPORARY_SUFFIX = ".tss.tmp";

    private static final int READABLE_LENGTH = 24;
    private static final int HEX_BYTES = 64;

    private SessionFileName() {
    }

    /** The base name, without a suffix; only ASCII letters, digits, {@code -} and {@code _}. */
    static String of(String clientIdentifier) {
        byte[] utf8 = clientIdentifier.getBytes(StandardCharsets.UTF_8);
        String unique = utf8.length <= HEX_BYTES ? HexFormat.of().formatHex(utf8) : "sha256-" + HexFormat.of().formatHex(sha256(utf8));
        return PREFIX + readable(clientIdentifier) + "-" + unique;
    }

    private static String readable(String clientIdentifier) {
        StringBuilder name = new StringBuilder(READABLE_LENGTH);
        for (int i = 0; i < clientIdentifier.length() && name.length() < READABLE_LENGTH; i++) {
            char c = clientIdentifier.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            name.append(safe ? c : '_');
        }
        return name.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
