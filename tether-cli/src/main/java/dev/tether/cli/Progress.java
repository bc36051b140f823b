package dev.tether.cli;

import java.io.Console;
import java.io.PrintWriter;

/**
 * The live progress line of a benchmark: rewritten in place with {@code \r} on a terminal, one
 * plain line per interval otherwise (piped or redirected, or in tests).
 */
final class Progress {

    private final PrintWriter err;
    private final boolean terminal;
    private int lastLength;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Whether standard output and error are a terminal. JDK 22 and later return a console even
     * when redirected and tell with {@code Console.isTerminal()}, which JDK 21 does not have.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    void show(String line) {
        if (terminal) {
            String padding = " ".repeat(Math.max(0, lastLength - line.length()));
            err.print("\r" + line + padding);
            lastLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the line on a terminal, so that what follows starts on a line of its own. */
    void finish() {
        if (terminal && lastLength > 0) {
            err.println();
            err.flush();
        }
    }
}
