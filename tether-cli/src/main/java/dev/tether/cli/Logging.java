package dev.tether.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client logs through {@code System.Logger}, which is {@code java.util.logging} here; a
 * command line shows only its warnings, on one line each, and what happens with {@code -d}.
 */
final class Logging {

    /** Held so that the level set stays: JUL keeps loggers only weakly. */
    private static final Logger TETHER = Logger.getLogger("dev.tether");

    private Logging() {
    }

    /** Warnings only, one line each; called before anything logs. */
    static void configure() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        TETHER.setLevel(Level.WARNING);
    }

    /** Also the client's connection events, for {@code -d}. */
    static void debug() {
        TETHER.setLevel(Level.INFO);
    }
}
