package dev.tether.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs {@code tether} in this JVM with captured output, as a user would on the command line. */
final class Cli {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return runWithStdin("", args);
    }

    static Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(stdin, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static int execute(String stdin, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = Tether.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /**
     * A run in the background whose standard error is watched: {@link #awaitErr} returns once a
     * text appeared there, so that a test publishes only after {@code sub} has subscribed.
     */
    static final class Background {
        private final StringWriter out = new StringWriter();
        private final WatchedWriter err = new WatchedWriter();
        private final CompletableFuture<Result> result;

        Background(String... args) {
            result = CompletableFuture.supplyAsync(() -> {
                int exit = execute("", new PrintWriter(out, true), new PrintWriter(err, true), args);
                return new Result(exit, out.toString(), err.toString());
            }, runnable -> Thread.ofVirtual().name("tether-cli-under-test").start(runnable));
        }

        void awaitErr(String text) throws InterruptedException {
            if (!err.await(text, TIMEOUT)) {
                throw new AssertionError("'" + text + "' did not appear on standard error within " + TIMEOUT
                        + (result.isDone() ? "; the command ended: " + result.join() : "; it printed: " + err));
            }
        }

        boolean isDone() {
            return result.isDone();
        }

        Result result() throws Exception {
            return result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** A writer that tells waiting threads each time text was written. */
    private static final class WatchedWriter extends Writer {
        private final StringBuffer text = new StringBuffer();
        private volatile CountDownLatch written = new CountDownLatch(1);

        @Override
        public void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
            CountDownLatch previous = written;
            written = new CountDownLatch(1);
            previous.countDown();
        }

        boolean await(String wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                CountDownLatch next = written; // taken before the check: a write after it opens this latch
                if (text.indexOf(wanted) >= 0) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                next.await(left, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
